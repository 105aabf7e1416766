import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerService } from '../../src/core/service.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import type { BotMessage, RecordedRequest, RestFaultSpec } from '../support/fake-discord/index.js';
import { createTestService } from '../support/service.js';
import { CANARY_TOKEN, KNOWN_QUESTION, KNOWN_QUOTE, leakedLines, shownText } from './helpers.js';

/**
 * Discord answering 429 (per route and global, with `retry_after`) or 500/502 to the bot's own
 * requests: the reply still arrives, exactly once, and a rate-limited request is retried only
 * after the wait Discord asked for.
 */

const MESSAGE_CREATE = /^\/channels\/\d+\/messages$/;
const INTERACTION_CALLBACK = /^\/interactions\/\d+\/[^/]+\/callback$/;
const EDIT_ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;

let h: BotHarness;
/** While set, answers wait for it: the test decides when an answer is ready. */
let gate: Promise<void> | undefined;
beforeAll(async () => {
  const { service: real } = await createTestService();
  const gated: AnswerService = {
    library: real.library,
    mode: real.mode,
    degradedReason: real.degradedReason,
    addArticle: (article) => real.addArticle(article),
    async answer(question, options) {
      await gate;
      return real.answer(question, options);
    },
  };
  // Defer every /ask at once (its answer is held until then), so an answer takes two requests:
  // the callback, then the edit of @original.
  h = await startBotHarness({ fake: { token: CANARY_TOKEN }, bot: { deferAfterMs: 0 }, service: gated });
});
afterAll(async () => {
  expect(h.logger.lines.filter((l) => / ERROR /.test(l))).toEqual([]);
  expect(leakedLines(...h.logger.lines)).toEqual([]);
  await h?.stop();
});

/** The requests that ran into the fault and those that got through afterwards, in order. */
function attempts(match: RegExp, method: string, from: number): RecordedRequest[] {
  return h.fake.requests.filter((r) => r.seq > from && r.method === method && match.test(r.path)).sort((a, b) => a.seq - b.seq);
}

function lastSeq(): number {
  return Math.max(0, ...h.fake.requests.map((r) => r.seq));
}

type Via = 'mention' | 'dm';

/** Asks by message; resolves with the one reply (and checks it is the only one). */
async function askByMessage(via: Via): Promise<BotMessage> {
  const user = h.fake.createUser(`asker-${via}`);
  const asked = h.fake.sendMessage({ author: user, content: KNOWN_QUESTION, ...(via === 'dm' ? { dm: true } : { mentionBot: true }) });
  const reply = await h.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);
  expect(shownText(reply)).toContain(KNOWN_QUOTE);
  expect(h.fake.messages.filter((m) => m.message_reference?.message_id === asked.id)).toHaveLength(1);
  return reply;
}

describe.each<{ name: string; fault: Omit<RestFaultSpec, 'match' | 'count'>; count: number; via: Via }>([
  { name: '429 on the route, retry_after 0.5 s', fault: { status: 429, retryAfterSeconds: 0.5 }, count: 1, via: 'mention' },
  { name: 'global 429, retry_after 0.5 s', fault: { status: 429, retryAfterSeconds: 0.5, global: true }, count: 1, via: 'dm' },
  { name: '500 twice', fault: { status: 500 }, count: 2, via: 'mention' },
  { name: '502 twice', fault: { status: 502 }, count: 2, via: 'dm' },
])('a message reply meeting $name', ({ fault, count, via }) => {
  it('arrives once, after the wait', async () => {
    const from = lastSeq();
    const injected = h.fake.injectRestFaults({ ...fault, match: { method: 'POST', path: MESSAGE_CREATE }, count });
    await askByMessage(via);
    expect(injected.remaining).toBe(0);
    const tries = attempts(MESSAGE_CREATE, 'POST', from);
    expect(tries.map((r) => r.fault)).toEqual([...Array<boolean>(count).fill(true), false]);
    if (fault.status === 429) {
      const waited = (tries[count]?.at ?? 0) - (tries[count - 1]?.at ?? 0);
      expect(waited).toBeGreaterThanOrEqual((fault.retryAfterSeconds ?? 0) * 1000 - 20);
    }
  });
});

describe('an /ask answer', () => {
  it.each<{ name: string; match: RegExp; method: string; fault: Omit<RestFaultSpec, 'match' | 'count'>; count: number }>([
    { name: '429 on the interaction callback (retry_after 0.3 s)', match: INTERACTION_CALLBACK, method: 'POST', fault: { status: 429, retryAfterSeconds: 0.3 }, count: 1 },
    { name: '500 on the interaction callback', match: INTERACTION_CALLBACK, method: 'POST', fault: { status: 500 }, count: 2 },
    { name: '429 on the edit of the deferred reply (retry_after 0.5 s)', match: EDIT_ORIGINAL, method: 'PATCH', fault: { status: 429, retryAfterSeconds: 0.5 }, count: 1 },
    { name: '502 on the edit of the deferred reply', match: EDIT_ORIGINAL, method: 'PATCH', fault: { status: 502 }, count: 2 },
  ])('meeting $name arrives once, after the wait, within the deadline', async ({ match, method, fault, count }) => {
    const from = lastSeq();
    const injected = h.fake.injectRestFaults({ ...fault, match: { method, path: match }, count });
    let release = () => {};
    gate = new Promise((resolve) => (release = resolve));
    const interaction = h.fake.slashCommand({ user: h.fake.createUser('slash-asker'), name: 'ask', options: { question: KNOWN_QUESTION } });
    expect((await interaction.acknowledged()).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    release();
    gate = undefined;
    const reply = await interaction.reply();
    expect(shownText(reply)).toContain(KNOWN_QUOTE);
    expect(injected.remaining).toBe(0);
    expect(interaction.state).toMatchObject({ expired: false, rejectedCallbacks: [], followups: [] });
    expect(h.fake.messages.filter((m) => m.interaction_id === interaction.id)).toHaveLength(1);

    const tries = attempts(match, method, from);
    expect(tries.map((r) => r.fault)).toEqual([...Array<boolean>(count).fill(true), false]);
    if (fault.status === 429) {
      const waited = (tries[count]?.at ?? 0) - (tries[count - 1]?.at ?? 0);
      expect(waited).toBeGreaterThanOrEqual((fault.retryAfterSeconds ?? 0) * 1000 - 20);
    }
  });
});

it('keeps answering normally after all of it', async () => {
  await askByMessage('mention');
  const interaction = h.fake.slashCommand({ user: h.fake.createUser('after'), name: 'ask', options: { question: KNOWN_QUESTION } });
  expect(shownText(await interaction.reply())).toContain(KNOWN_QUOTE);
});
