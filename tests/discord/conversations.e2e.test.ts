import { GatewayIntentBits, type APIMessage, type APIUser } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BOT_THREAD_TTL_MS } from '../../src/discord/conversations.js';
import { CONVERSATION_TTL_MS } from '../../src/core/conversation.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import type { BotMessage, SendMessageOptions } from '../support/fake-discord/index.js';
import { onlyEmbed, refusedRequests } from './e2e-helpers.js';

/**
 * Conversations end to end, against the fake Discord with an unmodified discord.js client: a
 * follow-up ("What does he think?" after "Who is Ben Hodges?") is answered in the light of the
 * question before it in a DM, in a thread and along a chain of replies to the bot's answers; a
 * reply to the bot needs no mention; in a thread the bot answers in, later messages are questions
 * with the Message Content intent and ignored without it.
 */

const WHO = 'Who is Ben Hodges?';
/** Asked on its own, the article does not cover it; after WHO it is about Ben Hodges (¶12 is his). */
const FOLLOW_UP = 'What does he think?';
const HODGES_THINKS = '“"I think people out in Tuva and Siberia and Chechnya and others';
const UNDERSTOOD = '*About Ben Hodges:*';
const NOT_COVERED = 'The article does not cover that.';

/** The clock of the service's conversations and of the bot's memory: moved, never waited for. */
let offset = 0;
const now = () => Date.now() + offset;

let h: BotHarness; // no Message Content intent, answers in place
let auto: BotHarness; // AUTO_THREAD, no Message Content intent
let content: BotHarness; // AUTO_THREAD, with the Message Content intent
beforeAll(async () => {
  // Commands registered globally (no DISCORD_GUILD_ID), so /ask exists in DMs too.
  h = await startBotHarness({ now, env: { DISCORD_GUILD_ID: '' } });
  [auto, content] = await Promise.all([
    startBotHarness({ service: h.service, now, env: { AUTO_THREAD: 'true' } }),
    startBotHarness({
      service: h.service,
      now,
      env: { AUTO_THREAD: 'true', MESSAGE_CONTENT_INTENT: 'true', DISCORD_GUILD_ID: '' },
      fake: { privilegedIntents: GatewayIntentBits.MessageContent },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([auto?.stop(), content?.stop()]);
  await h?.stop();
});
afterEach(() => {
  for (const harness of [h, auto, content]) {
    expect(refusedRequests(harness)).toEqual([]);
    // No pings anywhere: every message the bot sent notifies no one.
    for (const message of harness.fake.messages) {
      expect({ mentions: message.mentions, roles: message.mention_roles, everyone: message.mention_everyone }).toEqual({ mentions: [], roles: [], everyone: false });
      expect(message.allowed_mentions?.parse).toEqual([]);
      if (message.message_reference) expect(message.allowed_mentions?.replied_user).toBe(false);
    }
  }
});

/** A user's message, and the bot's reply to it. */
async function ask(harness: BotHarness, options: SendMessageOptions): Promise<{ asked: APIMessage; reply: BotMessage }> {
  const asked = harness.fake.sendMessage(options);
  const reply = await harness.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);
  return { asked, reply };
}

/** A mention question in #general with AUTO_THREAD: the thread opened on it, and the answer there. */
async function askInNewThread(harness: BotHarness, author: APIUser, question: string): Promise<{ threadId: string; answer: BotMessage }> {
  const asked = harness.fake.sendMessage({ author, content: question, mentionBot: true });
  const answer = await harness.fake.waitForMessage((m) => m.channel_id === asked.id);
  return { threadId: asked.id, answer };
}

function description(message: BotMessage): string {
  return onlyEmbed(message).description ?? '';
}

/** Expects `reply` to answer the follow-up about Ben Hodges, saying so first. */
function expectAboutHodges(reply: BotMessage): void {
  expect(onlyEmbed(reply).title).toBe(FOLLOW_UP);
  expect(description(reply).startsWith(`${UNDERSTOOD}\n\n${HODGES_THINKS}`)).toBe(true);
  expect(description(reply)).toContain('— **¶12**');
}

/** Expects `reply` to answer the follow-up on its own: the article does not cover it. */
function expectOnItsOwn(reply: BotMessage): void {
  expect(onlyEmbed(reply).title).toBe(FOLLOW_UP);
  expect(description(reply)).toContain(NOT_COVERED);
  expect(description(reply)).not.toContain(UNDERSTOOD);
}

describe('in a DM', () => {
  it('answers a follow-up in the light of the last question, saying what it took it to mean', async () => {
    const alice = h.fake.createUser('alice');
    const first = await ask(h, { author: alice, dm: true, content: WHO });
    expect(description(first.reply)).toContain('declared former US Army Europe Commander Ben Hodges');

    const followUp = await ask(h, { author: alice, dm: true, content: FOLLOW_UP });
    expectAboutHodges(followUp.reply);
    expect(description(followUp.reply)).toMatchInlineSnapshot(`
      "*About Ben Hodges:*

      “"I think people out in Tuva and Siberia and Chechnya and others... may see opportunity... to to break away so... um i think that we... collectively the west need to be... thinking... about what are the implications for this?"” — **¶12**"
    `);

    // Someone else's DM is another conversation: the same words stand on their own there.
    const bob = h.fake.createUser('bob');
    expectOnItsOwn((await ask(h, { author: bob, dm: true, content: FOLLOW_UP })).reply);
  });

  it('makes /ask and messages there one conversation', async () => {
    const alice = h.fake.createUser('alice');
    await h.fake.slashCommand({ user: alice, dm: true, name: 'ask', options: { question: WHO } }).reply();
    expectAboutHodges((await ask(h, { author: alice, dm: true, content: FOLLOW_UP })).reply);
  });

  it('answers a question asked more than ten minutes after the last answer on its own', async () => {
    const alice = h.fake.createUser('alice');
    const bob = h.fake.createUser('bob');
    await ask(h, { author: alice, dm: true, content: WHO });
    await ask(h, { author: bob, dm: true, content: WHO });
    offset += CONVERSATION_TTL_MS - 60_000;
    expectAboutHodges((await ask(h, { author: bob, dm: true, content: FOLLOW_UP })).reply);
    offset += 60_001;
    expectOnItsOwn((await ask(h, { author: alice, dm: true, content: FOLLOW_UP })).reply);
  });
});

describe('in a thread', () => {
  it('keeps one conversation per user: two people in one thread are two conversations', async () => {
    const alice = h.fake.createUser('alice');
    const bob = h.fake.createUser('bob');
    const thread = h.fake.createThread({ author: alice, name: 'Hodges' });
    const first = await ask(h, { author: alice, channelId: thread.id, content: WHO, mentionBot: true });
    expect(first.reply.channel_id).toBe(thread.id);

    const bobs = await ask(h, { author: bob, channelId: thread.id, content: FOLLOW_UP, mentionBot: true });
    expectOnItsOwn(bobs.reply);
    const alices = await ask(h, { author: alice, channelId: thread.id, content: FOLLOW_UP, mentionBot: true });
    expect(alices.reply.channel_id).toBe(thread.id);
    expectAboutHodges(alices.reply);
  });

  it('makes /ask and messages there one conversation', async () => {
    const alice = h.fake.createUser('alice');
    const thread = h.fake.createThread({ author: alice, name: 'Hodges' });
    await h.fake.slashCommand({ user: alice, channelId: thread.id, name: 'ask', options: { question: WHO } }).reply();
    expectAboutHodges((await ask(h, { author: alice, channelId: thread.id, content: FOLLOW_UP, mentionBot: true })).reply);
  });

  it('never reads a public message in the light of a private /ask, which would show it to everyone', async () => {
    const alice = h.fake.createUser('alice');
    const thread = h.fake.createThread({ author: alice, name: 'Hodges' });
    const secret = await h.fake.slashCommand({ user: alice, channelId: thread.id, name: 'ask', options: { question: WHO, private: true } }).reply();
    expect(secret.ephemeral).toBe(true);
    expectOnItsOwn((await ask(h, { author: alice, channelId: thread.id, content: FOLLOW_UP, mentionBot: true })).reply);
  });
});

describe('replies to the bot in a server channel', () => {
  it('answers a reply to an answer without a mention, continuing that answer’s conversation', async () => {
    expect((h.fake.lastIdentify?.intents ?? 0) & GatewayIntentBits.MessageContent).toBe(0);
    const alice = h.fake.createUser('alice');
    const first = await ask(h, { author: alice, content: WHO, mentionBot: true });

    const followUp = await ask(h, { author: alice, content: FOLLOW_UP, replyTo: first.reply });
    expect(followUp.reply.channel_id).toBe(h.fake.channels.general.id);
    expectAboutHodges(followUp.reply);

    // Anyone replying continues the chain; a new mention in the channel starts its own.
    const bob = h.fake.createUser('bob');
    const bobs = await ask(h, { author: bob, content: FOLLOW_UP, replyTo: followUp.reply });
    // Read as about Ben Hodges again (the core then prefers what it has not quoted yet).
    expect(description(bobs.reply).startsWith(`${UNDERSTOOD}\n\n`)).toBe(true);
    expect(description(bobs.reply)).not.toContain(NOT_COVERED);
    expectOnItsOwn((await ask(h, { author: alice, content: FOLLOW_UP, mentionBot: true })).reply);
  });

  it('continues the conversation of an /ask answer replied to', async () => {
    const alice = h.fake.createUser('alice');
    const answer = await h.fake.slashCommand({ user: alice, name: 'ask', options: { question: WHO } }).reply();
    expectAboutHodges((await ask(h, { author: alice, content: FOLLOW_UP, replyTo: answer })).reply);
  });

  it('says how to be read when the reply’s mention is off and Discord withholds its text', async () => {
    const alice = h.fake.createUser('alice');
    const first = await ask(h, { author: alice, content: WHO, mentionBot: true });
    const quiet = await ask(h, { author: alice, content: FOLLOW_UP, replyTo: first.reply, mentionRepliedUser: false });
    expect(quiet.reply.content).toMatchInlineSnapshot(`"I can’t read replies that don’t mention me. Reply again with the reply’s **@ mention** turned on, mention me in it, or use \`/ask\`."`);

    // With the Message Content intent the text arrives, and the reply is answered.
    const carol = content.fake.createUser('carol');
    const answer = await content.fake.slashCommand({ user: carol, name: 'ask', options: { question: WHO } }).reply();
    expectAboutHodges((await ask(content, { author: carol, content: FOLLOW_UP, replyTo: answer, mentionRepliedUser: false })).reply);
  });
});

describe('in a thread the bot answers in', () => {
  it('with the Message Content intent, answers later messages there without a mention — unless they are for someone else', async () => {
    const alice = content.fake.createUser('alice');
    const bob = content.fake.createUser('bob');
    const otherBot = content.fake.createUser('otherbot', { bot: true });
    const { threadId } = await askInNewThread(content, alice, WHO);

    const followUp = await ask(content, { author: alice, channelId: threadId, content: FOLLOW_UP });
    expect(followUp.reply.channel_id).toBe(threadId);
    expectAboutHodges(followUp.reply);

    const ignored = [
      content.fake.sendMessage({ author: bob, channelId: threadId, content: `<@${alice.id}> ${FOLLOW_UP}` }),
      content.fake.sendMessage({ author: bob, channelId: threadId, content: FOLLOW_UP, replyTo: followUp.asked, mentionRepliedUser: false }),
      content.fake.sendMessage({ author: otherBot, channelId: threadId, content: FOLLOW_UP }),
    ];
    // Bob's own question, asked after them, is answered (on its own: his conversation is new).
    expectOnItsOwn((await ask(content, { author: bob, channelId: threadId, content: FOLLOW_UP })).reply);
    for (const message of ignored) expect(content.fake.messages.filter((m) => m.message_reference?.message_id === message.id)).toEqual([]);
  });

  it('forgets the thread a day after the bot last answered there', async () => {
    const alice = content.fake.createUser('alice');
    const { threadId } = await askInNewThread(content, alice, WHO);
    offset += BOT_THREAD_TTL_MS + 1;
    const late = content.fake.sendMessage({ author: alice, channelId: threadId, content: WHO });
    // A mention still works, and by then the message before it had been passed over.
    await ask(content, { author: alice, channelId: threadId, content: WHO, mentionBot: true });
    expect(content.fake.messages.filter((m) => m.message_reference?.message_id === late.id)).toEqual([]);
  });

  it('without the intent, ignores them (Discord withholds their text) but answers a mention', async () => {
    expect((auto.fake.lastIdentify?.intents ?? 0) & GatewayIntentBits.MessageContent).toBe(0);
    const alice = auto.fake.createUser('alice');
    const { threadId } = await askInNewThread(auto, alice, WHO);

    const unaddressed = auto.fake.sendMessage({ author: alice, channelId: threadId, content: FOLLOW_UP });
    const mention = await ask(auto, { author: alice, channelId: threadId, content: FOLLOW_UP, mentionBot: true });
    expectAboutHodges(mention.reply);
    expect(auto.fake.messages.filter((m) => m.message_reference?.message_id === unaddressed.id)).toEqual([]);
  });
});
