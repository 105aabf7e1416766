import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import type { GatewayEvent, InteractionHandle } from '../support/fake-discord/index.js';
import { CANARY_TOKEN, KNOWN_QUESTION, KNOWN_QUOTE, leakedLines, shownText } from './helpers.js';

/**
 * The gateway connection failing under the bot: a socket dying without a close frame, a close
 * Discord allows resuming after, op 7 RECONNECT and op 9 INVALID_SESSION. The bot resumes (or
 * identifies again) and keeps answering; questions asked while it was away are answered once it
 * has resumed.
 */

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness({ fake: { token: CANARY_TOKEN } });
});
afterAll(async () => {
  expect(leakedLines(...h.logger.lines)).toEqual([]);
  await h?.stop();
});

/** Asks through a mention, a DM and /ask at once; resolves when all three are answered, each exactly once. */
async function askEverywhere(label: string): Promise<{ slash: InteractionHandle }> {
  const user = h.fake.createUser(label);
  const mention = h.fake.sendMessage({ author: user, content: KNOWN_QUESTION, mentionBot: true });
  const dm = h.fake.sendMessage({ author: user, content: KNOWN_QUESTION, dm: true });
  const slash = h.fake.slashCommand({ user, name: 'ask', options: { question: KNOWN_QUESTION } });
  const replies = await Promise.all([
    h.fake.waitForMessage((m) => m.message_reference?.message_id === mention.id),
    h.fake.waitForMessage((m) => m.message_reference?.message_id === dm.id),
    slash.reply(),
  ]);
  for (const reply of replies) expect(shownText(reply)).toContain(KNOWN_QUOTE);
  for (const key of [mention.id, dm.id, slash.id]) {
    expect(h.fake.messages.filter((m) => m.message_reference?.message_id === key || m.interaction_id === key)).toHaveLength(1);
  }
  expect(slash.state.expired).toBe(false);
  return { slash };
}

function since(at: number): readonly GatewayEvent[] {
  return h.fake.gatewayEvents.filter((e) => e.at >= at);
}

describe.each<{ name: string; fault: () => Promise<unknown> | unknown }>([
  { name: 'the socket dies without a close frame (1006)', fault: () => h.fake.closeGateway('abnormal') },
  { name: 'Discord closes with 4000 (resumable)', fault: () => h.fake.closeGateway(4000, 'Unknown error') },
  { name: 'op 7 RECONNECT', fault: () => h.fake.sendReconnect() },
  { name: 'op 9 INVALID_SESSION (resumable)', fault: () => h.fake.sendInvalidSession(true) },
])('$name', ({ name, fault }) => {
  it('resumes the session, and what was asked meanwhile is answered once', async () => {
    await h.fake.waitForSession();
    const before = { identifies: h.fake.identifyCount, resumes: h.fake.resumeCount, at: Date.now() };
    await fault();
    // Asked while the bot is away: Discord queues these on the session.
    const answered = askEverywhere(`meanwhile ${name}`);
    const session = await h.fake.waitForSession({ resumed: true });
    await answered;

    expect(session.resumed).toBe(true);
    expect(h.fake.resumeCount).toBe(before.resumes + 1);
    expect(h.fake.identifyCount).toBe(before.identifies);
    const queued = since(before.at).filter((e) => e.type === 'dispatch' && !e.delivered && (e.t === 'MESSAGE_CREATE' || e.t === 'INTERACTION_CREATE'));
    expect(queued.length).toBeGreaterThanOrEqual(3);
    expect(since(before.at).filter((e) => e.type === 'dropped')).toEqual([]);

    await askEverywhere(`after ${name}`);
  });
});

describe('op 9 INVALID_SESSION (not resumable)', () => {
  it('identifies again with a new session and keeps answering', async () => {
    const before = { identifies: h.fake.identifyCount, session: (await h.fake.waitForSession()).sessionId };
    const ready = h.fake.waitForGatewayEvent((e) => e.type === 'ready', { timeoutMs: 20_000 });
    h.fake.sendInvalidSession(false);
    const event = await ready;
    expect(event.type === 'ready' && event.session.sessionId).not.toBe(before.session);
    expect(h.fake.identifyCount).toBe(before.identifies + 1);
    await askEverywhere('after a new session');
  });
});

it('logged each reconnection, and no error', () => {
  expect(h.logger.lines.filter((l) => l.includes('Reconnecting to Discord')).length).toBeGreaterThan(0);
  expect(h.logger.lines.filter((l) => / ERROR /.test(l))).toEqual([]);
});
