import type { APIUser } from 'discord-api-types/v10';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import type { BotMessage, InteractionHandle } from '../support/fake-discord/index.js';
import { CANARY_TOKEN, isAnswer, KNOWN_QUESTION, KNOWN_QUOTE, leakedLines, percentile, shownText } from './helpers.js';

/**
 * 50 users send 200 questions at once through /ask, mentions and DMs, with the default limit of
 * 5 questions per 30 s. Every question gets exactly one reply — an answer, or the cooldown notice
 * for the 6th question onwards — no interaction misses Discord's 3-second deadline, and the reply
 * latencies are printed.
 */

const USERS = 50;
const QUESTIONS = 200;
/** Users 0–9 ask 8 questions each (3 over the limit); the other 40 ask 3 each: 80 + 120 = 200. */
const HEAVY_USERS = 10;
const HEAVY_QUESTIONS = 8;
const LIGHT_QUESTIONS = 3;
const LIMIT = 5;

const POOL = [
  KNOWN_QUESTION,
  'What would the Taiwan Policy Act send to Taiwan?',
  'Who wrote this article?',
  'What is HIMARS?',
  'Who is Ben Hodges?',
  'What is the capital of France?',
];

type Channel = 'slash' | 'mention' | 'dm';
const CHANNELS: readonly Channel[] = ['slash', 'mention', 'dm'];

interface Asked {
  readonly user: APIUser;
  readonly channel: Channel;
  readonly question: string;
  /** The interaction id or the user message id the reply answers. */
  readonly key: string;
  readonly interaction?: InteractionHandle;
  readonly sentAt: number;
  readonly reply: Promise<{ message: BotMessage; at: number }>;
}

let h: BotHarness;
beforeAll(async () => {
  // Waiters are created when a question is sent; under load a reply may take longer than the default 10 s guard.
  h = await startBotHarness({ fake: { token: CANARY_TOKEN, defaultTimeoutMs: 50_000 } });
});
afterAll(async () => h?.stop());

it('answers 200 questions from 50 users at once: one reply each, cooldown past 5, no deadline missed', { timeout: 60_000 }, async () => {
  expect(h.config.discord.rateLimit).toEqual({ questions: LIMIT, perSeconds: 30 });
  const users = Array.from({ length: USERS }, (_, i) => h.fake.createUser(`load-${i}`));
  const plan: { user: APIUser; channel: Channel; question: string }[] = [];
  // Interleaved by round so that each user's questions are spread over the burst and over channels.
  for (let round = 0; round < HEAVY_QUESTIONS; round++) {
    users.forEach((user, u) => {
      if (round >= (u < HEAVY_USERS ? HEAVY_QUESTIONS : LIGHT_QUESTIONS)) return;
      const n = plan.length;
      plan.push({ user, channel: CHANNELS[(u + round) % CHANNELS.length] ?? 'slash', question: POOL[n % POOL.length] ?? KNOWN_QUESTION });
    });
  }
  expect(plan).toHaveLength(QUESTIONS);

  const started = Date.now();
  const asked: Asked[] = plan.map(({ user, channel, question }) => {
    const sentAt = Date.now();
    if (channel === 'slash') {
      const interaction = h.fake.slashCommand({ user, name: 'ask', options: { question } });
      const reply = interaction.reply().then((message) => ({ message, at: Date.now() }));
      return { user, channel, question, key: interaction.id, interaction, sentAt, reply };
    }
    const message = h.fake.sendMessage({ author: user, content: question, ...(channel === 'dm' ? { dm: true } : { mentionBot: true }) });
    const reply = h.fake.waitForMessage((m) => m.message_reference?.message_id === message.id).then((m) => ({ message: m, at: Date.now() }));
    return { user, channel, question, key: message.id, sentAt, reply };
  });
  const sentWithinMs = Date.now() - started;
  const replies = await Promise.all(asked.map((a) => a.reply));
  const allRepliedMs = Date.now() - started;

  // Exactly one reply per question: nothing lost, nothing duplicated.
  const byKey = new Map<string, BotMessage[]>();
  for (const m of h.fake.messages) {
    const key = m.interaction_id ?? m.message_reference?.message_id;
    if (key) byKey.set(key, [...(byKey.get(key) ?? []), m]);
  }
  const counts = asked.map((a) => byKey.get(a.key)?.length ?? 0);
  expect(counts.filter((c) => c !== 1)).toEqual([]);
  expect(h.fake.messages).toHaveLength(QUESTIONS);

  // Answers up to the limit, the cooldown notice after it — per user, whatever the channel.
  const notice = new RegExp(`^You've reached the limit of ${LIMIT} questions per 30 seconds — please try again in \\d+ seconds?\\.$`);
  let answers = 0;
  let notices = 0;
  for (const user of users) {
    const mine = asked.map((a, i) => ({ a, reply: replies[i]?.message })).filter(({ a }) => a.user.id === user.id);
    const answered = mine.filter(({ reply }) => reply && isAnswer(reply)).length;
    const noticed = mine.filter(({ reply }) => reply && !isAnswer(reply) && notice.test(reply.content)).length;
    expect({ user: user.username, answered, noticed }).toEqual({ user: user.username, answered: Math.min(LIMIT, mine.length), noticed: Math.max(0, mine.length - LIMIT) });
    answers += answered;
    notices += noticed;
  }
  expect({ answers, notices }).toEqual({ answers: 170, notices: 30 });
  // Answers are real answers: the known question is quoted with its paragraph.
  const known = asked.flatMap((a, i) => (a.question === KNOWN_QUESTION && replies[i] && isAnswer(replies[i].message) ? [replies[i].message] : []));
  expect(known.length).toBeGreaterThan(0);
  for (const m of known) expect(shownText(m)).toContain(KNOWN_QUOTE);

  // Discord's 3-second deadline is never missed.
  const interactions = asked.flatMap((a) => (a.interaction ? [a.interaction] : []));
  expect(interactions.filter((i) => i.state.expired || i.state.rejectedCallbacks.length > 0).map((i) => i.events)).toEqual([]);
  const ackMs = interactions.map((i) => i.state.callback?.latencyMs ?? Infinity);
  expect(Math.max(...ackMs)).toBeLessThan(3000);

  const latencies = asked.map((a, i) => (replies[i]?.at ?? Infinity) - a.sentAt);
  const answerLatencies = asked.flatMap((a, i) => (replies[i] && isAnswer(replies[i].message) ? [(replies[i].at ?? Infinity) - a.sentAt] : []));
  const deferred = interactions.filter((i) => i.state.callback?.type === 5).length;
  console.log(
    [
      `load: ${QUESTIONS} questions from ${USERS} users sent in ${sentWithinMs} ms, all replied after ${allRepliedMs} ms`,
      `  reply latency (all ${latencies.length}): p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${Math.max(...latencies)} ms`,
      `  answer latency (${answerLatencies.length} answers): p50 ${percentile(answerLatencies, 50)} ms, p95 ${percentile(answerLatencies, 95)} ms`,
      ...CHANNELS.map((channel) => {
        const own = asked.flatMap((a, i) => (a.channel === channel ? [latencies[i] ?? Infinity] : []));
        return `  ${channel} (${own.length}): p50 ${percentile(own, 50)} ms, p95 ${percentile(own, 95)} ms`;
      }),
      `  interaction acknowledgement (${interactions.length}): p50 ${percentile(ackMs, 50)} ms, p95 ${percentile(ackMs, 95)} ms, max ${Math.max(...ackMs)} ms; ${deferred} deferred`,
    ].join('\n'),
  );
  expect(h.logger.lines.filter((l) => / ERROR /.test(l))).toEqual([]);
  expect(leakedLines(...h.logger.lines)).toEqual([]);
});
