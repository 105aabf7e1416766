import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFeedback } from '../../src/discord/feedback.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import type { BotMessage } from '../support/fake-discord/index.js';
import { button } from './e2e-helpers.js';

/** The per-user question limit (`RATE_LIMIT=2/60s`) as users meet it, wherever they ask, and the same limit on votes. */

const QUESTIONS = ['Who took control of three refineries?', 'What would the Taiwan Policy Act send to Taiwan?', 'What did Modi tell Putin about an era of war?'];

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness({ env: { RATE_LIMIT: '2/60s' } });
});
afterAll(async () => h?.stop());

/** The notice with its countdown replaced, so the snapshot does not depend on timing. */
function notice(text: string): string {
  const seconds = /try again in (\d+) seconds?\./.exec(text)?.[1];
  expect(Number(seconds)).toBeGreaterThan(0);
  expect(Number(seconds)).toBeLessThanOrEqual(60);
  return text.replace(/in \d+ seconds?\./, 'in N seconds.');
}

function isAnswer(message: BotMessage): boolean {
  return message.embeds[0]?.fields?.[0]?.name === 'Sources';
}

/** Asks by mentioning the bot in #general, or in a DM; resolves with the bot's reply. */
async function askInMessage(user: Parameters<typeof h.fake.sendMessage>[0]['author'], content: string, dm = false): Promise<BotMessage> {
  const asked = h.fake.sendMessage({ author: user, content, ...(dm ? { dm: true } : { mentionBot: true }) });
  return h.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);
}

it('/ask: the third question within the window gets a short private notice saying when to retry; another user is unaffected', async () => {
  const alice = h.fake.createUser('alice');
  const bob = h.fake.createUser('bob');
  for (const question of QUESTIONS.slice(0, 2)) {
    expect(isAnswer(await h.fake.slashCommand({ user: alice, name: 'ask', options: { question } }).reply())).toBe(true);
  }
  const third = h.fake.slashCommand({ user: alice, name: 'ask', options: { question: QUESTIONS[2] ?? '' } });
  const refused = await third.reply();
  expect(third.state.ephemeral).toBe(true);
  expect(refused.embeds).toEqual([]);
  expect(notice(refused.content)).toMatchInlineSnapshot(`"You've reached the limit of 2 questions per 60 seconds — please try again in N seconds."`);

  const other = await h.fake.slashCommand({ user: bob, name: 'ask', options: { question: QUESTIONS[2] ?? '' } }).reply();
  expect(isAnswer(other)).toBe(true);
});

it('mentions: the third question gets the notice as a reply that does not ping the asker', async () => {
  const carol = h.fake.createUser('carol');
  expect(isAnswer(await askInMessage(carol, QUESTIONS[0] ?? ''))).toBe(true);
  expect(isAnswer(await askInMessage(carol, QUESTIONS[1] ?? ''))).toBe(true);
  const refused = await askInMessage(carol, QUESTIONS[2] ?? '');
  expect(notice(refused.content)).toMatch(/^You've reached the limit of 2 questions per 60 seconds — please try again in N seconds\.$/);
  expect(refused.allowed_mentions).toEqual({ parse: [], replied_user: false });
  expect(refused.mentions).toEqual([]);
});

it('direct messages: the third question gets the notice in the DM', async () => {
  const dave = h.fake.createUser('dave');
  expect(isAnswer(await askInMessage(dave, QUESTIONS[0] ?? '', true))).toBe(true);
  expect(isAnswer(await askInMessage(dave, QUESTIONS[1] ?? '', true))).toBe(true);
  const refused = await askInMessage(dave, QUESTIONS[2] ?? '', true);
  expect(refused.channel_id).toBe(h.fake.dmChannel(dave).id);
  expect(notice(refused.content)).toMatch(/^You've reached the limit of 2 questions per 60 seconds/);
});

it('counts questions wherever they are asked, and only questions: /passage and /help still work', async () => {
  const erin = h.fake.createUser('erin');
  expect(isAnswer(await h.fake.slashCommand({ user: erin, name: 'ask', options: { question: QUESTIONS[0] ?? '' } }).reply())).toBe(true);
  expect(isAnswer(await askInMessage(erin, QUESTIONS[1] ?? ''))).toBe(true);
  const refused = await askInMessage(erin, QUESTIONS[2] ?? '', true);
  expect(notice(refused.content)).toMatch(/^You've reached the limit/);
  const said = h.fake.sendMessage({ author: erin, content: QUESTIONS[2] ?? '' });
  const find = await h.fake.messageCommand({ user: erin, name: 'Find in article', target: said }).reply();
  expect(notice(find.content)).toMatch(/^You've reached the limit/);

  const passage = await h.fake.slashCommand({ user: erin, name: 'passage', options: { number: 17 } }).reply();
  expect(passage.embeds[0]?.title).toBe('¶17');
  const help = await h.fake.slashCommand({ user: erin, name: 'help' }).reply();
  expect(help.embeds[0]?.description).toContain('You can ask 2 questions every 60 seconds.');
});

it('votes: the third vote within the window gets the notice privately and is not recorded; votes cost no questions', async () => {
  const asker = h.fake.createUser('asker');
  const frank = h.fake.createUser('frank');
  const answer = await h.fake.slashCommand({ user: asker, name: 'ask', options: { question: QUESTIONS[0] ?? '' } }).reply();

  const thanks: string[] = [];
  for (const label of ['👍', '👎']) thanks.push((await h.fake.button({ user: frank, message: answer, customId: button(answer, label) }).reply()).content);
  expect(thanks).toEqual(['Thanks — recorded 👍', 'Thanks — recorded 👎']);
  const third = h.fake.button({ user: frank, message: answer, customId: button(answer, '👍') });
  const refused = await third.reply();
  expect(third.state.ephemeral).toBe(true);
  expect(notice(refused.content)).toMatchInlineSnapshot(`"You've reached the limit of 2 votes per 60 seconds — please try again in N seconds."`);

  const { records } = await readFeedback(h.config.discord.feedbackPath);
  expect(records.filter((r) => r.userId === frank.id).map((r) => r.vote)).toEqual(['up', 'down']);

  // Frank's questions are counted apart from his votes.
  for (const question of QUESTIONS.slice(0, 2)) {
    expect(isAnswer(await h.fake.slashCommand({ user: frank, name: 'ask', options: { question } }).reply())).toBe(true);
  }
});
