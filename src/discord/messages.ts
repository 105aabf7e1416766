import { ChannelType, MessageType, userMention, type Message, type SendableChannels } from 'discord.js';
import type { BotContext } from './context.js';
import { admitQuestion, composeAnswer, handleQuestion } from './answering.js';
import { conversationKey, type QuestionPlace, type RepliedBotMessage } from './conversations.js';
import { renderAskPrompt, renderHelp } from './render.js';
import { describeError, replyToMessage, replyToMessageWithFailure, sendToChannel, type Reply } from './respond.js';
import { shardFor } from './shards.js';
import { mentionsUser, stripMentionsOf, threadNameFrom } from './text.js';

/**
 * Questions asked in messages: any message in a DM; in a server, a message that mentions the bot,
 * a reply to one of the bot's messages, and — with the Message Content intent — any message in a
 * thread the bot answers in that is not addressed to someone else.
 *
 * Without the privileged Message Content intent Discord still delivers the text of DMs and of
 * messages that mention the bot, and a reply mentions the author it replies to unless the replier
 * turns that off: so mentions, DMs and replies work without it; only the unaddressed messages in
 * the bot's threads (and replies with the mention turned off) need it.
 */

/** Typing lasts ~10 s on Discord's side; refresh it a little sooner while the answer is computed. */
const TYPING_REFRESH_MS = 8000;

/** What the decision needs to know about a created message. */
export interface IncomingMessage {
  /** The text as delivered: empty when Discord withheld it (no Message Content intent). */
  readonly content: string;
  /** Written by a bot (this one included), a webhook, or Discord itself (system messages). */
  readonly automated: boolean;
  readonly inDm: boolean;
  /** In a thread the bot answered in recently (see `Conversations.isBotThread`). */
  readonly inBotThread: boolean;
  /** A reply (Discord's reply, not a forward). */
  readonly isReply: boolean;
  /** The author of the message replied to; undefined when it is not a reply or that message is gone. */
  readonly repliedToUserId: string | undefined;
  /** Users the message notifies: those it mentions, and the author it replies to unless the replier turned that off. */
  readonly mentionedUserIds: readonly string[];
  /** It mentions a role, @everyone or @here. */
  readonly mentionsGroup: boolean;
}

/** How the bot reads a message. */
export type MessageReading =
  /** A question to the bot (`text` may be empty: a bare mention). */
  | { readonly kind: 'question'; readonly text: string; readonly via: 'dm' | 'mention' | 'reply' | 'thread' }
  /** A reply to the bot whose text Discord withheld: it did not mention the bot, and the intent is off. */
  | { readonly kind: 'unreadable-reply' }
  | { readonly kind: 'not-addressed' };

/**
 * Whether a message is a question to the bot, and its text without mentions of the bot.
 * Messages from bots, webhooks and Discord itself never are. In a thread the bot answers in, a
 * message that mentions someone else (a user, a role, @everyone) or replies to someone else is
 * for them, not for the bot; so is a message with no text (an image, a sticker).
 */
export function readMessage(message: IncomingMessage, { botUserId, messageContent }: { readonly botUserId: string; readonly messageContent: boolean }): MessageReading {
  const notAddressed = { kind: 'not-addressed' } as const;
  if (message.automated) return notAddressed;
  // Mentions of the bot (out of habit, or typed into the question) are never part of what is asked.
  const text = stripMentionsOf(message.content, botUserId);
  // In a DM everything is addressed to us.
  if (message.inDm) return { kind: 'question', text, via: 'dm' };
  // Only an explicit <@bot> counts: @everyone/@here and role mentions are not addressed to us.
  if (mentionsUser(message.content, botUserId)) return { kind: 'question', text, via: 'mention' };
  if (message.repliedToUserId === botUserId) {
    const withheld = message.content === '' && !messageContent && !message.mentionedUserIds.includes(botUserId);
    return withheld ? { kind: 'unreadable-reply' } : { kind: 'question', text, via: 'reply' };
  }
  if (!message.inBotThread || !messageContent || text === '') return notAddressed;
  if (message.isReply || message.mentionsGroup) return notAddressed;
  if (message.mentionedUserIds.some((id) => id !== botUserId)) return notAddressed;
  return { kind: 'question', text, via: 'thread' };
}

/** Said to a reply to the bot that Discord delivered without its text. */
export const UNREADABLE_REPLY =
  'I can’t read replies that don’t mention me. Reply again with the reply’s **@ mention** turned on, mention me in it, or use `/ask`.';

/** Handles one created message. Never rejects: failures are logged and answered as a reply. */
export function createMessageHandler(ctx: BotContext): (message: Message) => Promise<void> {
  return async (message) => {
    const botUserId = message.client.user.id;
    const inDm = !message.inGuild();
    const threadId = message.channel.isThread() ? message.channelId : undefined;
    const reading = readMessage(
      {
        content: message.content,
        automated: message.author.bot || message.webhookId !== null || message.system,
        inDm,
        inBotThread: threadId !== undefined && ctx.conversations.isBotThread(threadId),
        isReply: message.type === MessageType.Reply,
        repliedToUserId: message.type === MessageType.Reply ? message.mentions.repliedUser?.id : undefined,
        mentionedUserIds: [...message.mentions.users.keys()],
        mentionsGroup: message.mentions.everyone || message.mentions.roles.size > 0,
      },
      { botUserId, messageContent: ctx.messageContentIntent },
    );
    if (reading.kind === 'not-addressed') return;
    const surface = reading.kind === 'question' ? reading.via : 'reply';
    const context = { handler: surface, shard: shardFor(message.client, message.guildId), userId: message.author.id, guildId: message.guildId, channelId: message.channelId };
    try {
      if (reading.kind === 'unreadable-reply') {
        // Counted like a question, so someone replying without the mention again and again is not told each time.
        if (ctx.cooldown.take(message.author.id).ok) await replyToMessage(message, { content: UNREADABLE_REPLY });
        return;
      }
      const text = reading.text;
      if (/^help[.!?]?$/i.test(text)) {
        await replyToMessage(message, renderHelp({ article: ctx.service.library.latest, botMention: userMention(botUserId), rateLimit: ctx.rateLimit, librarySize: ctx.service.library.size }));
        return;
      }
      if (text === '') {
        await replyToMessage(message, renderAskPrompt(ctx.service.library.latest, inDm ? undefined : userMention(botUserId)));
        return;
      }
      const replied = repliedBotMessage(message, botUserId);
      await handleQuestion(ctx, { surface, shard: context.shard }, async (track) => {
        const question = admitQuestion(ctx, text, message.author.id);
        // A reply continues a conversation where it is; only a new question in a channel gets a thread.
        const thread = ctx.autoThread && !inDm && !replied ? await openThread(message, question, ctx) : undefined;
        const place: QuestionPlace = { userId: message.author.id, dm: inDm, threadId: thread?.id ?? threadId, startId: message.id };
        const conversation = replied ? ctx.conversations.continuedBy(replied, place) : conversationKey(place);
        ctx.conversations.remember(conversation, [message.id]);
        const target = thread ?? (message.channel.isSendable() ? message.channel : undefined);
        const reply = await withTyping(target, () => composeAnswer(ctx, question, { track, conversation }), ctx);
        // Before sending: whoever reads the answer may write in the thread at once.
        if (place.threadId !== undefined) ctx.conversations.answeredInThread(place.threadId);
        const sent = await deliver(message, thread, reply);
        ctx.conversations.remember(conversation, sent.map((m) => m.id));
      });
    } catch (error) {
      await replyToMessageWithFailure(message, error, ctx.logger, context);
    }
  };
}

/**
 * The bot message `message` replies to, with the slash command it answered if it was a command's
 * reply (discord.js caches the message replied to from the event); undefined when it is not a
 * reply to the bot.
 */
function repliedBotMessage(message: Message, botUserId: string): RepliedBotMessage | undefined {
  const id = message.reference?.messageId;
  if (message.type !== MessageType.Reply || !id || message.mentions.repliedUser?.id !== botUserId) return undefined;
  const replied = message.channel.messages.cache.get(id);
  const metadata = replied?.interactionMetadata;
  return { id, answeredId: replied?.reference?.messageId, interaction: metadata ? { id: metadata.id, userId: metadata.user.id } : undefined };
}

/**
 * A thread on the question message to answer in; undefined (answer as a plain reply) when the
 * channel cannot have one (already a thread, a DM, a forum post) or creation fails (permissions).
 */
async function openThread(message: Message, question: string, ctx: BotContext): Promise<SendableChannels | undefined> {
  const type = message.channel.type;
  if (type !== ChannelType.GuildText && type !== ChannelType.GuildAnnouncement) return undefined;
  if (message.hasThread) return undefined;
  try {
    return await message.startThread({ name: threadNameFrom(question) });
  } catch (error) {
    ctx.logger.warn('Could not start a thread; replying in the channel instead', {
      guildId: message.guildId,
      channelId: message.channelId,
      error: describeError(error),
    });
    return undefined;
  }
}

async function deliver(message: Message, thread: SendableChannels | undefined, reply: Reply): Promise<Message[]> {
  if (thread) return sendToChannel(thread, reply);
  return replyToMessage(message, reply);
}

/** Shows "Bot is typing…" in `channel` while `work` runs; typing failures never affect the answer. */
async function withTyping<T>(channel: SendableChannels | undefined, work: () => Promise<T>, ctx: BotContext): Promise<T> {
  if (!channel) return work();
  const type = () =>
    channel.sendTyping().catch((error: unknown) => ctx.logger.debug('Could not show typing', { channelId: channel.id, error: describeError(error) }));
  void type();
  const timer = setInterval(() => void type(), TYPING_REFRESH_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
