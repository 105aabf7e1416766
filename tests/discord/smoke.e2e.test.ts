import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => h?.stop());

it('answers /ask with the quoted sentence and its ¶ citation, pinging no one', async () => {
  const alice = h.fake.createUser('alice');
  const ask = h.fake.slashCommand({ user: alice, name: 'ask', options: { question: 'Who took control of three refineries?' } });
  const reply = await ask.reply();
  const text = JSON.stringify(reply.embeds);
  expect(text).toContain('On Friday, the German government took control of three refineries');
  expect(text).toContain('¶15');
  expect(reply.allowed_mentions).toEqual({ parse: [] });
});
