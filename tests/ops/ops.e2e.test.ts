import type { APIUser } from 'discord-api-types/v10';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerCommands } from '../../src/discord/register.js';
import { button } from '../discord/e2e-helpers.js';
import { shardOf, startFakeDiscord, type FakeDiscord, type FakeGuild } from '../support/fake-discord/index.js';
import { memoryLogger, testConfig, testProcessEnv } from '../support/service.js';
import { CANARY_TOKEN, KNOWN_QUESTION, KNOWN_QUOTE, leakedLines, shownText, startProcess, type ChildRun } from '../reliability/helpers.js';

/**
 * `npm start` (the compiled bot, as a process) with METRICS_PORT and LOG_FORMAT=json, two shards,
 * against the fake Discord: `/healthz` and `/metrics` are scraped while the bot answers, while a
 * shard is away, and after it is back. Every log line is one JSON object naming its shard where
 * it concerns one, and the token appears nowhere.
 */

const HEADLINE = 'After Russian debacle in Ukraine, US escalates conflict with Russia and China';

let fake: FakeDiscord;
let bot: ChildRun;
let ops: string;
let other: FakeGuild;
let otherShard: number;

/** The bot's JSON log lines, parsed. */
const logLines = () =>
  bot
    .stderr()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { time: string; level: string; msg: string; shard?: number; fields?: Record<string, unknown> });

async function get(path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${ops}${path}`);
  return { status: response.status, body: await response.text() };
}

/** The value of one sample in Prometheus text, e.g. `metric('articlebot_guilds', { shard: '0' })`; undefined when absent. */
function metric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return undefined;
}

beforeAll(async () => {
  // Two shards, a heartbeat every second (so the gateway ping is measured soon), and a server on each shard.
  fake = await startFakeDiscord({ token: CANARY_TOKEN, recommendedShards: 2, maxConcurrency: 16, heartbeatIntervalMs: 1000 });
  otherShard = 1 - shardOf(fake.guild.id, 2);
  other = fake.createGuild({ name: 'Other', shard: [otherShard, 2] });
  const env = await testProcessEnv({
    DISCORD_TOKEN: CANARY_TOKEN,
    DISCORD_API_URL: fake.apiUrl,
    METRICS_PORT: '0',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'debug',
    RATE_LIMIT: '3/60s',
  });
  await registerCommands({ config: await testConfig({ DISCORD_TOKEN: CANARY_TOKEN, DISCORD_API_URL: fake.apiUrl }), logger: memoryLogger() });
  bot = startProcess('dist/main.js', [], env);
  ops = /(http:\/\/127\.0\.0\.1:\d+)/.exec(await bot.waitForLine(/Serving \/healthz and \/metrics on /))![1]!;
  await bot.waitForLine(/"msg":"Ready as /);
});
afterAll(async () => {
  await bot?.stop('SIGKILL');
  await fake?.close();
});

it('/healthz: 200 with the mode, the shards ready and the article once every shard is ready', async () => {
  const health = await get('/healthz');
  expect(health.status).toBe(200);
  expect(JSON.parse(health.body)).toEqual({ status: 'ok', mode: 'hybrid', shards: { ready: 2, total: 2 }, article: HEADLINE });
});

it('/metrics: questions by surface, outcome and shard, answer latency, votes, gateway and process figures', async () => {
  const users: APIUser[] = ['a', 'b', 'c', 'd', 'e'].map((name) => fake.createUser(name));
  const [a, b, c, d, e] = users as [APIUser, APIUser, APIUser, APIUser, APIUser];
  fake.addMember(e, other.id);
  const mainShard = String(shardOf(fake.guild.id, 2));

  const answered = await fake.slashCommand({ user: a, name: 'ask', options: { question: KNOWN_QUESTION } }).reply();
  expect(shownText(answered)).toContain(KNOWN_QUOTE);
  await fake.slashCommand({ user: a, name: 'ask', options: { question: 'What is the capital of France?' } }).reply();
  const mention = fake.sendMessage({ author: b, content: KNOWN_QUESTION, mentionBot: true });
  const refused = fake.sendMessage({ author: b, content: '?!', mentionBot: true });
  const dm = fake.sendMessage({ author: c, content: KNOWN_QUESTION, dm: true });
  const onOther = fake.sendMessage({ author: e, channelId: other.general.id, content: KNOWN_QUESTION, mentionBot: true });
  for (const asked of [mention, refused, dm, onOther]) await fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);
  await fake.messageCommand({ user: c, name: 'Find in article', target: mention }).reply();
  // d asks four times with a limit of three.
  for (let i = 0; i < 4; i++) await fake.slashCommand({ user: d, name: 'ask', options: { question: KNOWN_QUESTION } }).reply();
  expect((await fake.button({ user: a, message: answered, customId: button(answered, '👍') }).reply()).content).toBe('Thanks — recorded 👍');
  // Each question is counted once its reply is delivered, and logged then: all eleven are in.
  await bot.waitForLine(/"msg":"Question handled"/, 11);
  for (const session of fake.sessions) await fake.waitForGatewayEvent((ev) => ev.type === 'heartbeat' && ev.connectionId === session.connectionId, { includePast: true });

  const { status, body } = await get('/metrics');
  expect(status).toBe(200);
  const q = (surface: string, outcome: string, shard = mainShard) => metric(body, 'articlebot_questions_total', { surface, outcome, shard });
  expect({
    slashAnswered: q('slash', 'answered'),
    slashNotCovered: q('slash', 'not-covered'),
    slashCooldown: q('slash', 'cooldown'),
    mention: q('mention', 'answered'),
    mentionOnOtherShard: q('mention', 'answered', String(otherShard)),
    refused: q('mention', 'refused'),
    dm: q('dm', 'answered', '0'),
    contextMenu: q('context-menu', 'answered'),
  }).toEqual({ slashAnswered: 4, slashNotCovered: 1, slashCooldown: 1, mention: 1, mentionOnOtherShard: 1, refused: 1, dm: 1, contextMenu: 1 });
  expect(metric(body, 'articlebot_answer_duration_seconds_count', { surface: 'slash' })).toBe(5);
  expect(metric(body, 'articlebot_answer_duration_seconds_bucket', { surface: 'slash', le: '+Inf' })).toBe(5);
  expect(metric(body, 'articlebot_feedback_votes_total', { vote: 'up' })).toBe(1);
  for (const shard of ['0', '1']) {
    expect(metric(body, 'articlebot_gateway_up', { shard })).toBe(1);
    expect(metric(body, 'articlebot_gateway_status', { shard, status: 'ready' })).toBe(1);
    expect(metric(body, 'articlebot_gateway_ping_seconds', { shard })).toBeGreaterThanOrEqual(0);
    expect(metric(body, 'articlebot_guilds', { shard })).toBe(1);
  }
  expect(metric(body, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  expect(metric(body, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
});

it('a shard that is away: /healthz 503 naming it and the gateway metrics show it; 200 again once it resumes', async () => {
  const release = fake.holdGatewayConnections();
  await fake.closeGateway(4000, 'away', { shard: otherShard });
  await bot.waitForLine(new RegExp(`"msg":"Reconnecting to Discord","shard":${otherShard}`));

  const away = await get('/healthz');
  expect(away.status).toBe(503);
  expect(JSON.parse(away.body)).toEqual({
    status: 'unavailable',
    reason: `not every shard is ready: shard ${otherShard} connecting`,
    mode: 'hybrid',
    article: HEADLINE,
    shards: { ready: 1, total: 2 },
  });
  const metrics = (await get('/metrics')).body;
  expect(metric(metrics, 'articlebot_gateway_up', { shard: String(otherShard) })).toBe(0);
  expect(metric(metrics, 'articlebot_gateway_status', { shard: String(otherShard), status: 'connecting' })).toBe(1);
  expect(metric(metrics, 'articlebot_gateway_up', { shard: String(1 - otherShard) })).toBe(1);

  release();
  await bot.waitForLine(new RegExp(`"msg":"Resumed the gateway session","shard":${otherShard}`));
  expect((await get('/healthz')).status).toBe(200);
});

it('logs one JSON object per line (time, level, msg, shard where it concerns one), never the token, and stops cleanly', async () => {
  expect(await bot.stop('SIGTERM')).toBe(0);
  const lines = logLines();
  expect(lines.length).toBeGreaterThan(5);
  for (const line of lines) expect(Object.keys(line).filter((k) => !['time', 'level', 'msg', 'shard', 'fields'].includes(k))).toEqual([]);
  expect(lines.find((l) => l.msg.startsWith('Ready as'))?.fields).toMatchObject({ shards: '0–1 of 2', mode: 'hybrid' });
  expect(lines.filter((l) => l.msg === 'Question handled').every((l) => typeof l.shard === 'number')).toBe(true);
  expect(leakedLines(bot.stdout(), bot.stderr())).toEqual([]);
});
