import { GatewayIntentBits, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS } from '../support/fake-discord/world.js';
import { expectNoPings, onlyEmbed, pingBait, refusedRequests } from './e2e-helpers.js';

/**
 * Questions asked in messages: `@Bot question` in server channels and threads (with and without
 * AUTO_THREAD), and direct messages — all without the privileged Message Content intent.
 */

const REFINERIES = 'Who took control of three refineries?';
const REFINERIES_QUOTE = 'On Friday, the German government took control of three refineries owned by Russian oil company Rosneft.';

let h: BotHarness;
let auto: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
  auto = await startBotHarness({ service: h.service, env: { AUTO_THREAD: 'true' } });
});
afterAll(async () => {
  await auto?.stop();
  await h?.stop();
});
afterEach(() => {
  for (const harness of [h, auto]) {
    expect(refusedRequests(harness)).toEqual([]);
  }
});

describe('mentions in a server channel', () => {
  it('answers `@Bot question` with a reply to that message that does not ping the asker', async () => {
    const alice = h.fake.createUser('alice');
    const asked = h.fake.sendMessage({ author: alice, content: REFINERIES, mentionBot: true });
    const reply = await h.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);

    expect(reply.channel_id).toBe(h.fake.channels.general.id);
    expect(reply.message_reference?.message_id).toBe(asked.id);
    expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(reply.mentions).toEqual([]);
    const embed = onlyEmbed(reply);
    expect(embed.title).toBe(REFINERIES);
    expect(embed.description).toContain(REFINERIES_QUOTE);
    expect(embed.fields).toEqual([{ name: 'Sources', value: '¶15' }]);
    // "ArticleBot is typing…" showed in the channel (deadline.e2e shows it comes before the answer).
    await h.fake.waitForTyping(h.fake.channels.general.id);
  });

  it('pings no one and shows no live mention when the question contains @everyone, @here, a role or a user', async () => {
    const alice = h.fake.createUser('alice');
    const { question, raw } = pingBait(h, REFINERIES);
    const asked = h.fake.sendMessage({ author: alice, content: question, mentionBot: true });
    const reply = await h.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);

    expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expectNoPings(reply, raw);
    expect(onlyEmbed(reply).title?.replaceAll('\u200b', '')).toBe(question);
  });

  it('answers in the thread when asked in a thread', async () => {
    const alice = h.fake.createUser('alice');
    const thread = h.fake.createThread({ author: alice, name: 'refineries' });
    const asked = h.fake.sendMessage({ author: alice, channelId: thread.id, content: REFINERIES, mentionBot: true });
    const reply = await h.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);

    expect(reply.channel_id).toBe(thread.id);
    expect(onlyEmbed(reply).description).toContain(REFINERIES_QUOTE);
    expect(h.fake.channelMessages(h.fake.channels.general.id).some((m) => m.id === reply.id)).toBe(false);
  });

  it('works without the Message Content intent: a message that does not mention the bot gets no reply', async () => {
    expect((h.fake.lastIdentify?.intents ?? 0) & GatewayIntentBits.MessageContent).toBe(0);
    const alice = h.fake.createUser('alice');
    const unaddressed = h.fake.sendMessage({ author: alice, content: REFINERIES });
    const addressed = h.fake.sendMessage({ author: alice, content: REFINERIES, mentionBot: true });
    const reply = await h.fake.waitForMessage((m) => m.message_reference?.message_id === addressed.id);

    expect(onlyEmbed(reply).description).toContain(REFINERIES_QUOTE);
    // Both arrived in order; by the time the second was answered, the first had been passed over.
    expect(h.fake.messages.filter((m) => m.message_reference?.message_id === unaddressed.id)).toEqual([]);
    expect(h.fake.messages.filter((m) => m.message_reference?.message_id === addressed.id)).toHaveLength(1);
  });

  it('answers a bare mention with how to ask', async () => {
    const alice = h.fake.createUser('alice');
    const asked = h.fake.sendMessage({ author: alice, content: '', mentionBot: true });
    const reply = await h.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);
    expect(reply.content.replaceAll(h.fake.botUser.id, 'BOT')).toMatchInlineSnapshot(`"Mention me with a question, e.g. <@BOT> what happened? I answer questions about **After Russian debacle in Ukraine, US escalates conflict with Russia and China** — or use \`/ask\`, and \`/help\` for more."`);
    expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(reply.mentions).toEqual([]);
  });

  it('says plainly when the article does not cover the question and points to /article', async () => {
    const alice = h.fake.createUser('alice');
    const asked = h.fake.sendMessage({ author: alice, content: 'What is the capital of France?', mentionBot: true });
    const reply = await h.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);
    expect(onlyEmbed(reply).description).toBe('The article does not cover that. Try `/article` to see what it does cover.');
  });
});

describe('AUTO_THREAD=true', () => {
  it('opens a thread on the question, named after it, and answers there', async () => {
    const alice = auto.fake.createUser('alice');
    const general = auto.fake.channels.general.id;
    const asked = auto.fake.sendMessage({ author: alice, content: REFINERIES, mentionBot: true });
    const answer = await auto.fake.waitForMessage((m) => m.channel_id === asked.id);

    const thread = auto.fake.threads.find((t) => t.id === answer.channel_id);
    expect(thread).toMatchObject({ id: asked.id, parent_id: general, name: REFINERIES, owner_id: auto.fake.botUser.id });
    expect(onlyEmbed(answer).description).toContain(REFINERIES_QUOTE);
    expect(answer.allowed_mentions).toEqual({ parse: [] });
    expect(answer.mentions).toEqual([]);
    // Nothing from the bot in the channel itself.
    expect(auto.fake.channelMessages(general).filter((m) => m.author.id === auto.fake.botUser.id)).toEqual([]);
  });

  it('answers a question asked inside a thread in that thread, without opening another', async () => {
    const alice = auto.fake.createUser('alice');
    const thread = auto.fake.createThread({ author: alice, name: 'discussion' });
    const threadsBefore = auto.fake.threads.length;
    const asked = auto.fake.sendMessage({ author: alice, channelId: thread.id, content: REFINERIES, mentionBot: true });
    const reply = await auto.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);

    expect(reply.channel_id).toBe(thread.id);
    expect(auto.fake.threads).toHaveLength(threadsBefore);
  });

  it('replies in the channel instead when the bot may not create threads there', async () => {
    const noThreads = ~PermissionFlagsBits.CreatePublicThreads;
    const denied = await startBotHarness({
      service: h.service,
      env: { AUTO_THREAD: 'true' },
      fake: { botPermissions: DEFAULT_BOT_PERMISSIONS & noThreads, everyonePermissions: DEFAULT_EVERYONE_PERMISSIONS & noThreads },
    });
    try {
      const alice = denied.fake.createUser('alice');
      const asked = denied.fake.sendMessage({ author: alice, content: REFINERIES, mentionBot: true });
      const reply = await denied.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);

      expect(reply.channel_id).toBe(denied.fake.channels.general.id);
      expect(onlyEmbed(reply).description).toContain(REFINERIES_QUOTE);
      expect(denied.fake.threads).toEqual([]);
      expect(denied.logger.lines.some((l) => l.includes('WARN') && l.includes('Could not start a thread'))).toBe(true);
    } finally {
      await denied.stop();
    }
  });
});

describe('direct messages', () => {
  it('answers any text as a question, showing typing meanwhile', async () => {
    const alice = h.fake.createUser('alice');
    const dm = h.fake.dmChannel(alice).id;
    const asked = h.fake.sendMessage({ author: alice, content: 'What did Modi tell Putin about an era of war?', dm: true });
    const reply = await h.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);

    expect(reply.channel_id).toBe(dm);
    const embed = onlyEmbed(reply);
    expect(embed.description).toMatchInlineSnapshot(`"“"I know that today's era is not an era of war, and I have spoken to you on the phone about this," Modi told Putin.” — **¶22**"`);
    expect(embed.fields).toEqual([{ name: 'Sources', value: '¶22' }]);
    expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
    await h.fake.waitForTyping(dm);
  });

  it('answers `help` with the help text', async () => {
    const alice = h.fake.createUser('alice');
    const asked = h.fake.sendMessage({ author: alice, content: 'help', dm: true });
    const reply = await h.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);
    const embed = onlyEmbed(reply);
    expect(embed.title).toBe('How to ask');
    expect(embed.description).toContain('In a direct message: just write your question');
    expect(embed.description).toContain('/ask question:');
  });
});
