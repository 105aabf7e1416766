import { describe, expect, it } from 'vitest';
import {
  ANSWER_MESSAGE_TTL_MS,
  BOT_THREAD_TTL_MS,
  conversationKey,
  createConversations,
  type QuestionPlace,
} from '../../src/discord/conversations.js';
import { readMessage, type IncomingMessage } from '../../src/discord/messages.js';
import { withUnderstood } from '../../src/discord/render.js';

const BOT = '100';
const ALICE = '201';
const BOB = '202';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const inChannel = (userId: string, startId: string): QuestionPlace => ({ userId, dm: false, startId });
const inThread = (userId: string, threadId: string, startId: string): QuestionPlace => ({ userId, dm: false, threadId, startId });

describe('conversation keys', () => {
  it('makes a DM one conversation, a thread one per user, and each channel question its own', () => {
    // The DM's key names the user only: /ask and messages there (different ids) share it.
    expect(conversationKey({ userId: ALICE, dm: true, startId: 'message-1' })).toBe(`dm:${ALICE}`);
    expect(conversationKey({ userId: ALICE, dm: true, startId: 'interaction-9' })).toBe(`dm:${ALICE}`);
    expect(conversationKey(inThread(ALICE, 'T', 'message-1'))).toBe(`thread:T:${ALICE}`);
    expect(conversationKey(inThread(ALICE, 'T', 'interaction-9'))).toBe(`thread:T:${ALICE}`);
    expect(conversationKey(inThread(BOB, 'T', 'message-2'))).toBe(`thread:T:${BOB}`);
    expect(conversationKey(inChannel(ALICE, 'message-1'))).toBe('chain:message-1');
    expect(conversationKey(inChannel(ALICE, 'message-3'))).toBe('chain:message-3');
  });

  it('keeps private answers out of the public conversation there (a DM is private anyway)', () => {
    expect(conversationKey({ ...inThread(ALICE, 'T', 'interaction-9'), private: true })).toBe(`thread:T:${ALICE}:private`);
    expect(conversationKey({ ...inChannel(ALICE, 'interaction-9'), private: true })).toBe('chain:interaction-9:private');
    expect(conversationKey({ userId: ALICE, dm: true, startId: 'interaction-9', private: true })).toBe(`dm:${ALICE}`);
  });

  it('continues, on a reply, the conversation the answer replied to belongs to — whoever replies', () => {
    const conversations = createConversations();
    conversations.remember('chain:message-1', ['answer-1', 'answer-1b']);
    expect(conversations.continuedBy({ id: 'answer-1' }, inChannel(BOB, 'message-5'))).toBe('chain:message-1');
    expect(conversations.continuedBy({ id: 'answer-1b' }, inChannel(ALICE, 'message-6'))).toBe('chain:message-1');
  });

  it('finds the conversation of an answer by the question it replied to, before the answer itself is remembered', () => {
    const conversations = createConversations();
    conversations.remember('chain:message-1', ['message-1']);
    expect(conversations.continuedBy({ id: 'answer-1', answeredId: 'message-1' }, inChannel(BOB, 'message-5'))).toBe('chain:message-1');
    expect(conversations.continuedBy({ id: 'answer-1', answeredId: 'message-4' }, inChannel(BOB, 'message-5'))).toBe('chain:message-5');
  });

  it('continues a slash command’s conversation on a reply to its answer, which it never saw being sent', () => {
    const conversations = createConversations();
    const interaction = { id: 'interaction-7', userId: ALICE };
    expect(conversations.continuedBy({ id: 'reply-1', interaction }, inChannel(BOB, 'message-5'))).toBe('chain:interaction-7');
    // In a thread, /ask used the asker's thread conversation.
    expect(conversations.continuedBy({ id: 'reply-1', interaction }, inThread(BOB, 'T', 'message-5'))).toBe(`thread:T:${ALICE}`);
  });

  it('starts a conversation where the reply is when the answer is not remembered', () => {
    const conversations = createConversations();
    expect(conversations.continuedBy({ id: 'unknown' }, inChannel(BOB, 'message-5'))).toBe('chain:message-5');
    expect(conversations.continuedBy({ id: 'unknown' }, inThread(BOB, 'T', 'message-5'))).toBe(`thread:T:${BOB}`);
  });

  it('forgets an answer message with its conversation, and beyond its capacity', () => {
    const time = clock();
    const conversations = createConversations({ now: time.now, maxAnswers: 2 });
    conversations.remember('chain:a', ['answer-a']);
    time.advance(ANSWER_MESSAGE_TTL_MS);
    expect(conversations.continuedBy({ id: 'answer-a' }, inChannel(BOB, 'm'))).toBe('chain:a');
    time.advance(1);
    expect(conversations.continuedBy({ id: 'answer-a' }, inChannel(BOB, 'm'))).toBe('chain:m');

    conversations.remember('chain:b', ['answer-b']);
    conversations.remember('chain:c', ['answer-c']);
    conversations.remember('chain:d', ['answer-d']);
    expect(conversations.continuedBy({ id: 'answer-b' }, inChannel(BOB, 'm'))).toBe('chain:m');
    expect(conversations.continuedBy({ id: 'answer-c' }, inChannel(BOB, 'm'))).toBe('chain:c');
    expect(conversations.continuedBy({ id: 'answer-d' }, inChannel(BOB, 'm'))).toBe('chain:d');
  });

  it('keeps a thread the bot answers in for a day after its last answer there, and a bounded number of them', () => {
    const time = clock();
    const conversations = createConversations({ now: time.now, maxThreads: 2 });
    expect(conversations.isBotThread('T')).toBe(false);
    conversations.answeredInThread('T');
    time.advance(BOT_THREAD_TTL_MS - 1000);
    expect(conversations.isBotThread('T')).toBe(true);
    conversations.answeredInThread('T'); // a new answer renews it
    time.advance(BOT_THREAD_TTL_MS);
    expect(conversations.isBotThread('T')).toBe(true);
    time.advance(1);
    expect(conversations.isBotThread('T')).toBe(false);

    conversations.answeredInThread('U');
    conversations.answeredInThread('V');
    conversations.answeredInThread('W');
    expect(['U', 'V', 'W'].map((t) => conversations.isBotThread(t))).toEqual([false, true, true]);
  });
});

describe('which messages are questions', () => {
  const base: IncomingMessage = {
    content: '',
    automated: false,
    inDm: false,
    inBotThread: false,
    isReply: false,
    repliedToUserId: undefined,
    mentionedUserIds: [],
    mentionsGroup: false,
  };
  const withIntent = { botUserId: BOT, messageContent: true };
  const withoutIntent = { botUserId: BOT, messageContent: false };
  const pingingReplyToBot: IncomingMessage = { ...base, content: 'What did he say?', isReply: true, repliedToUserId: BOT, mentionedUserIds: [BOT] };

  it('reads any DM and an explicit mention, without the mention', () => {
    expect(readMessage({ ...base, inDm: true, content: 'Who is Ben Hodges?' }, withoutIntent)).toEqual({ kind: 'question', text: 'Who is Ben Hodges?', via: 'dm' });
    expect(readMessage({ ...base, content: `<@${BOT}> Who is Ben Hodges?`, mentionedUserIds: [BOT] }, withoutIntent)).toEqual({ kind: 'question', text: 'Who is Ben Hodges?', via: 'mention' });
    expect(readMessage({ ...base, content: 'Who is Ben Hodges?' }, withIntent)).toEqual({ kind: 'not-addressed' });
  });

  it('reads a reply to the bot as a question without a mention in its text', () => {
    expect(readMessage(pingingReplyToBot, withoutIntent)).toEqual({ kind: 'question', text: 'What did he say?', via: 'reply' });
    // With the reply's mention turned off, Discord withholds the text unless the intent is on.
    const quiet = { ...pingingReplyToBot, mentionedUserIds: [] };
    expect(readMessage(quiet, withIntent)).toEqual({ kind: 'question', text: 'What did he say?', via: 'reply' });
    expect(readMessage({ ...quiet, content: '' }, withoutIntent)).toEqual({ kind: 'unreadable-reply' });
    // A reply to someone else is not for the bot.
    expect(readMessage({ ...pingingReplyToBot, repliedToUserId: ALICE, mentionedUserIds: [ALICE] }, withIntent)).toEqual({ kind: 'not-addressed' });
  });

  it('reads a message in the bot’s thread as a question only with the intent, and only when it is not for someone else', () => {
    const inThread: IncomingMessage = { ...base, inBotThread: true, content: 'What did he say?' };
    expect(readMessage(inThread, withIntent)).toEqual({ kind: 'question', text: 'What did he say?', via: 'thread' });
    expect(readMessage(inThread, withoutIntent)).toEqual({ kind: 'not-addressed' });
    expect(readMessage({ ...inThread, inBotThread: false }, withIntent)).toEqual({ kind: 'not-addressed' });
    expect(readMessage({ ...inThread, content: `<@${BOB}> what did he say?`, mentionedUserIds: [BOB] }, withIntent)).toEqual({ kind: 'not-addressed' });
    expect(readMessage({ ...inThread, isReply: true, repliedToUserId: BOB, mentionedUserIds: [BOB] }, withIntent)).toEqual({ kind: 'not-addressed' });
    expect(readMessage({ ...inThread, isReply: true, repliedToUserId: BOB }, withIntent)).toEqual({ kind: 'not-addressed' });
    // The message replied to is gone: still a reply to someone.
    expect(readMessage({ ...inThread, isReply: true }, withIntent)).toEqual({ kind: 'not-addressed' });
    expect(readMessage({ ...inThread, content: '@everyone what did he say?', mentionsGroup: true }, withIntent)).toEqual({ kind: 'not-addressed' });
    // An image or a sticker alone.
    expect(readMessage({ ...inThread, content: '' }, withIntent)).toEqual({ kind: 'not-addressed' });
  });

  it('never reads a message from a bot, a webhook or Discord itself as a question', () => {
    for (const message of [
      { ...base, inDm: true, content: 'Who is Ben Hodges?' },
      { ...base, content: `<@${BOT}> Who is Ben Hodges?`, mentionedUserIds: [BOT] },
      pingingReplyToBot,
      { ...base, inBotThread: true, content: 'What did he say?' },
    ]) {
      expect(readMessage({ ...message, automated: true }, withIntent)).toEqual({ kind: 'not-addressed' });
    }
  });
});

describe('showing what a follow-up was taken to mean', () => {
  it('opens the answer with it, escaped, and leaves other answers alone', () => {
    expect(withUnderstood({ understood: 'About Ben Hodges' }, '“…” — **¶12**')).toBe('*About Ben Hodges:*\n\n“…” — **¶12**');
    expect(withUnderstood({ understood: 'Following on from "what about *drones* @everyone?"' }, 'x')).toBe(
      '*Following on from "what about \\*drones\\* @\u200beveryone?":*\n\nx',
    );
    expect(withUnderstood({}, '“…” — **¶12**')).toBe('“…” — **¶12**');
  });
});
