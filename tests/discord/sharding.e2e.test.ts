import { once } from 'node:events';
import { Events } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerService } from '../../src/core/service.js';
import { DiscordLoginError, explainCloseCode, startBot, type RunningBot } from '../../src/discord/bot.js';
import { registerCommands } from '../../src/discord/register.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { shardOf, startFakeDiscord, type FakeDiscord, type FakeGuild } from '../support/fake-discord/index.js';
import { createTestService, memoryLogger, testConfig, type MemoryLogger } from '../support/service.js';
import { refusedRequests } from './e2e-helpers.js';

/**
 * Sharding with discord.js's own gateway sharding, against a fake Discord that routes each
 * server's events to shard `(guild_id >> 22) % count` (DMs to shard 0), as Discord does: every
 * question is answered exactly once whatever shard it arrives on, a shard that reconnects does
 * not disturb the others, several processes can split the shards, and "sharding required" (4011)
 * ends start-up with a line saying what to set.
 */

const QUESTION = 'Who took control of three refineries?';
const QUOTE = 'On Friday, the German government took control of three refineries owned by Russian oil company Rosneft.';
const SHARDS = 3;

/** Two more servers per shard, so every shard has several (the primary guild lands wherever its id puts it). */
function addServers(fake: FakeDiscord): void {
  for (const shard of [0, 1, 2, 0, 1, 2]) fake.createGuild({ name: `Server ${shard}`, shard: [shard, SHARDS] });
}

/** A member of `guild` asks by mention and with /ask in its #general; resolves with both replies. */
async function askIn(fake: FakeDiscord, guild: FakeGuild, label: string) {
  const user = fake.createUser(label);
  fake.addMember(user, guild.id);
  const mention = fake.sendMessage({ author: user, channelId: guild.general.id, content: QUESTION, mentionBot: true });
  const slash = fake.slashCommand({ user, channelId: guild.general.id, name: 'ask', options: { question: QUESTION } });
  const [mentionReply, slashReply] = await Promise.all([fake.waitForMessage((m) => m.message_reference?.message_id === mention.id), slash.reply()]);
  return { mention, mentionReply, slash, slashReply };
}

/** How many bot messages reply to `messageId` (a question answered twice would show 2). */
function repliesTo(fake: FakeDiscord, messageId: string): number {
  return fake.messages.filter((m) => m.message_reference?.message_id === messageId).length;
}

/**
 * The `shard=` of the "Question handled" debug lines after the first `skip`, once there are
 * `count` of them (the line is written just after the reply is delivered).
 */
async function handledOnShards(logger: MemoryLogger, count: number, skip = 0): Promise<number[]> {
  const lines = await logger.waitForLines((l) => l.includes('Question handled'), skip + count);
  return lines.slice(skip).map((l) => Number(/ shard=(\d+)/.exec(l)?.[1])).sort();
}

const handledSoFar = (logger: MemoryLogger) => logger.lines.filter((l) => l.includes('Question handled')).length;

let service: AnswerService;
beforeAll(async () => {
  ({ service } = await createTestService());
});

describe('one process, three shards (SHARD_COUNT=auto, as GET /gateway/bot recommends)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({
      // max_concurrency 16: the shards identify together instead of 5 s apart.
      fake: { recommendedShards: SHARDS, maxConcurrency: 16 },
      // Global commands (they exist in every server), and no per-user limit in the way.
      env: { DISCORD_GUILD_ID: '', RATE_LIMIT: '1000/1s' },
      prepare: addServers,
      service,
    });
  });
  afterAll(async () => h?.stop());
  afterEach(() => expect(refusedRequests(h)).toEqual([]));

  it('identifies every shard and answers each server\'s questions exactly once, on the shard its events arrive on', async () => {
    const identified = h.fake.gatewayEvents.flatMap((e) => (e.type === 'identify' ? [e.identify.shard] : []));
    expect(identified.sort()).toEqual([
      [0, SHARDS],
      [1, SHARDS],
      [2, SHARDS],
    ]);
    expect(h.logger.lines.find((l) => l.includes('Ready as'))).toContain(`in 7 guilds shards="0–2 of ${SHARDS}"`);
    expect(h.bot.shards().map((s) => ({ id: s.id, ready: s.ready }))).toEqual([0, 1, 2].map((id) => ({ id, ready: true })));
    const perShard = h.fake.guilds.map((g) => shardOf(g.id, SHARDS));
    expect(new Set(perShard)).toEqual(new Set([0, 1, 2]));
    expect(h.bot.shards().map((s) => s.guilds)).toEqual([0, 1, 2].map((id) => perShard.filter((s) => s === id).length));

    const before = handledSoFar(h.logger);
    const asked = await Promise.all(h.fake.guilds.map((guild, i) => askIn(h.fake, guild, `asker${i}`)));
    const dmUser = h.fake.createUser('dm-asker');
    const dm = h.fake.sendMessage({ author: dmUser, dm: true, content: QUESTION });
    const dmReply = await h.fake.waitForMessage((m) => m.message_reference?.message_id === dm.id);

    for (const { mention, mentionReply, slash, slashReply } of asked) {
      expect(mentionReply.embeds[0]?.description).toContain(QUOTE);
      expect(slashReply.embeds[0]?.description).toContain(QUOTE);
      expect(repliesTo(h.fake, mention.id)).toBe(1);
      expect(slash.state.rejectedCallbacks).toEqual([]);
      expect(slash.state.followups).toEqual([]);
    }
    expect(dmReply.embeds[0]?.description).toContain(QUOTE);
    expect(repliesTo(h.fake, dm.id)).toBe(1);

    // The log names the shard of every question: two per server on its shard, the DM on shard 0.
    expect(await handledOnShards(h.logger, 2 * perShard.length + 1, before)).toEqual([...perShard, ...perShard, 0].sort());
  });

  it('keeps answering on the other shards while one reconnects, then answers what that shard missed', async () => {
    const byShard = (shard: number) => h.fake.guilds.find((g) => shardOf(g.id, SHARDS) === shard)!;
    const steady = h.fake.sessions.filter((s) => s.shard[0] !== 1).map((s) => s.connectionId);
    expect(steady).toHaveLength(2);

    // Shard 1 loses its connection, and cannot get back until released.
    const release = h.fake.holdGatewayConnections();
    const reconnecting = once(h.bot.client, Events.ShardReconnecting);
    await h.fake.closeGateway(4000, 'shard 1 dropped', { shard: 1 });
    expect(await reconnecting).toEqual([1]);
    const user = h.fake.createUser('while-away');
    const away = byShard(1);
    h.fake.addMember(user, away.id);
    const missed = h.fake.sendMessage({ author: user, channelId: away.general.id, content: QUESTION, mentionBot: true });

    // Shards 0 and 2 answer as usual meanwhile.
    for (const shard of [0, 2]) {
      const { mentionReply, slashReply } = await askIn(h.fake, byShard(shard), `during-${shard}`);
      expect(mentionReply.embeds[0]?.description).toContain(QUOTE);
      expect(slashReply.embeds[0]?.description).toContain(QUOTE);
    }
    expect(h.bot.shards().map((s) => s.ready)).toEqual([true, false, true]);
    expect(repliesTo(h.fake, missed.id)).toBe(0);
    expect(h.logger.lines.some((l) => l.includes('Reconnecting to Discord') && l.includes('shard=1'))).toBe(true);

    // Back: shard 1 resumes its session, gets the question it missed, and answers it once.
    release();
    await h.fake.waitForSession({ shard: 1, resumed: true });
    const late = await h.fake.waitForMessage((m) => m.message_reference?.message_id === missed.id);
    expect(late.embeds[0]?.description).toContain(QUOTE);
    expect(repliesTo(h.fake, missed.id)).toBe(1);
    // The other shards' connections were never touched.
    expect(h.fake.sessions.filter((s) => s.shard[0] !== 1).map((s) => s.connectionId)).toEqual(steady);
  });
});

describe('several processes (machines), one shard range each', () => {
  let fake: FakeDiscord;
  const bots: RunningBot[] = [];
  afterAll(async () => {
    for (const bot of bots) await bot.stop();
    await fake?.close();
  });

  it('SHARD_COUNT=3 with SHARD_IDS 0-1 and 2: together they answer every server once', async () => {
    fake = await startFakeDiscord({ recommendedShards: SHARDS, maxConcurrency: 16 });
    addServers(fake);
    const machines = ['0-1', '2'].map((ids) => ({ ids, logger: memoryLogger() }));
    for (const machine of machines) {
      const config = await testConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, SHARD_COUNT: String(SHARDS), SHARD_IDS: machine.ids, RATE_LIMIT: '1000/1s' });
      if (bots.length === 0) await registerCommands({ config, logger: machine.logger });
      bots.push(await startBot({ config, service, logger: machine.logger }));
    }
    expect(bots.map((b) => b.shards().map((s) => s.id))).toEqual([[0, 1], [2]]);

    const asked = await Promise.all(fake.guilds.map((guild, i) => askIn(fake, guild, `machine-asker${i}`)));
    for (const { mention, mentionReply, slashReply } of asked) {
      expect(mentionReply.embeds[0]?.description).toContain(QUOTE);
      expect(slashReply.embeds[0]?.description).toContain(QUOTE);
      expect(repliesTo(fake, mention.id)).toBe(1);
    }
    // Each machine answered exactly the servers on its own shards.
    const expected = fake.guilds.map((g) => shardOf(g.id, SHARDS));
    const firstShards = [...expected, ...expected].filter((s) => s < 2).sort();
    const secondShards = [...expected, ...expected].filter((s) => s === 2);
    expect(await handledOnShards(machines[0]!.logger, firstShards.length)).toEqual(firstShards);
    expect(await handledOnShards(machines[1]!.logger, secondShards.length)).toEqual(secondShards);
    expect(machines.map((m) => handledSoFar(m.logger))).toEqual([firstShards.length, secondShards.length]);
  });
});

it('"sharding required" (gateway close 4011) stops start-up with a line saying what to set', async () => {
  const fake = await startFakeDiscord({ recommendedShards: 2, maxGuildsPerShard: 2 });
  try {
    fake.createGuild({ name: 'Second' });
    fake.createGuild({ name: 'Third' });
    const config = await testConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, SHARD_COUNT: '1' });
    const error = await startBot({ config, service, logger: memoryLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordLoginError);
    expect((error as Error).message).toBe(explainCloseCode(4011));
    expect((error as Error).message).toMatchInlineSnapshot(`"Discord requires more shards for this bot (gateway close 4011, "Sharding required"): set SHARD_COUNT=auto to use the count Discord recommends, or a larger SHARD_COUNT."`);
  } finally {
    await fake.close();
  }
});

it('SHARD_COUNT=auto in the process environment (as .env.example sets it) does not confuse discord.js', async () => {
  // discord.js's Client reads SHARD_COUNT from the environment for its ShardingManager's children.
  const saved = process.env.SHARD_COUNT;
  process.env.SHARD_COUNT = 'auto';
  try {
    const h = await startBotHarness({ service, env: { SHARD_COUNT: 'auto' } });
    try {
      expect(h.bot.shards().map((s) => s.id)).toEqual([0]);
      const reply = await h.fake.slashCommand({ user: h.fake.createUser('env'), name: 'ask', options: { question: QUESTION } }).reply();
      expect(reply.embeds[0]?.description).toContain(QUOTE);
    } finally {
      await h.stop();
    }
  } finally {
    if (saved === undefined) delete process.env.SHARD_COUNT;
    else process.env.SHARD_COUNT = saved;
  }
});
