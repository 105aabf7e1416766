import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AnswerService } from '../../src/core/service.js';
import { GENERIC_FAILURE } from '../../src/discord/respond.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { createTestService } from '../support/service.js';

/**
 * A failure inside the bot (here: the answer service throws) reaches the user as one short
 * generic line — never a stack trace — and reaches the log with who/where, never the token.
 */

const TOKEN = 'ODk2.errors-e2e-secret.Zq7xK2pLm9';
const REFINERIES = 'Who took control of three refineries?';

let h: BotHarness;
let answered = 0;
beforeAll(async () => {
  const { service: real } = await createTestService();
  const broken: AnswerService = {
    library: real.library,
    mode: real.mode,
    degradedReason: real.degradedReason,
    addArticle: (article) => real.addArticle(article),
    answer() {
      answered++;
      // The kind of message a dependency might produce, secret included.
      return Promise.reject(new Error(`vector lookup failed: GET http://127.0.0.1:1/api?token=${TOKEN} returned 500`));
    },
  };
  h = await startBotHarness({ service: broken, fake: { token: TOKEN } });
});
afterAll(async () => h?.stop());

/** The log lines about failed handlers for this user. */
function failureLines(userId: string): string[] {
  return h.logger.lines.filter((line) => line.includes('Handler failed') && line.includes(`userId=${userId}`));
}

function expectNoLeak(text: string): void {
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain('vector lookup failed');
  expect(text).not.toMatch(/\bat .+\.[jt]s:\d+/);
}

it('/ask: the asker alone gets the short generic message; the log has the command and user, not the token', async () => {
  const alice = h.fake.createUser('alice');
  const before = answered;
  const ask = h.fake.slashCommand({ user: alice, name: 'ask', options: { question: REFINERIES } });
  const reply = await ask.reply();

  expect(answered).toBe(before + 1);
  expect(ask.state.ephemeral).toBe(true);
  expect(reply.content).toBe(GENERIC_FAILURE);
  expect(GENERIC_FAILURE).toMatchInlineSnapshot(`"Something went wrong while answering — please try again."`);
  expect(reply.embeds).toEqual([]);
  expectNoLeak(JSON.stringify(reply));

  const lines = failureLines(alice.id);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain('ERROR');
  expect(lines[0]).toContain('handler=/ask');
  expect(lines[0]).toContain(`guildId=${h.fake.guild.id}`);
  expect(lines[0]).toContain('vector lookup failed');
  expect(lines[0]).toContain('[redacted]');
  expect(h.logger.lines.join('\n')).not.toContain(TOKEN);
});

it('Find in article: the same short message, privately', async () => {
  const alice = h.fake.createUser('alice');
  const said = h.fake.sendMessage({ author: alice, content: REFINERIES });
  const find = h.fake.messageCommand({ user: alice, name: 'Find in article', target: said });
  const reply = await find.reply();
  expect(find.state.ephemeral).toBe(true);
  expect(reply.content).toBe(GENERIC_FAILURE);
  expect(failureLines(alice.id)[0]).toContain('handler="/Find in article"');
});

it('a mention: a reply with the short message, not pinging the asker; the log says where', async () => {
  const alice = h.fake.createUser('alice');
  const asked = h.fake.sendMessage({ author: alice, content: REFINERIES, mentionBot: true });
  const reply = await h.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);

  expect(reply.content).toBe(GENERIC_FAILURE);
  expectNoLeak(JSON.stringify(reply));
  expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
  expect(reply.mentions).toEqual([]);
  const lines = failureLines(alice.id);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain('handler=mention');
  expect(lines[0]).toContain(`channelId=${h.fake.channels.general.id}`);
  expect(h.logger.lines.join('\n')).not.toContain(TOKEN);
});

it('a direct message: a reply with the short message', async () => {
  const alice = h.fake.createUser('alice');
  const asked = h.fake.sendMessage({ author: alice, content: REFINERIES, dm: true });
  const reply = await h.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);
  expect(reply.content).toBe(GENERIC_FAILURE);
  expect(failureLines(alice.id)[0]).toContain('handler=dm');
});

it('commands that do not need the answer service keep working', async () => {
  const alice = h.fake.createUser('alice');
  const reply = await h.fake.slashCommand({ user: alice, name: 'passage', options: { number: 15 } }).reply();
  expect(reply.embeds[0]?.description).toContain('took control of three refineries');
  expect(failureLines(alice.id)).toEqual([]);
});
