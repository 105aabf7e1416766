import { ChannelType, userMention, type Message, type SendableChannels } from 'discord.js';
import type { BotContext } from './context.js';
import { admitQuestion, composeAnswer, handleQuestion } from './answering.js';
import { renderAskPrompt, renderHelp } from './render.js';
import { describeError, replyToMessage, replyToMessageWithFailure, sendToChannel, type Reply } from './respond.js';
import { shardFor } from './shards.js';
import { mentionsUser, stripMentionsOf, threadNameFrom } from './text.js';

/**
 * Questions asked in messages: in a server, a message that mentions the bot explicitly; in a DM,
 * any message. Neither needs the privileged Message Content intent — Discord delivers the text of
 * messages that mention the bot and of DMs regardless.
 */

/** Typing lasts ~10 s on Discord's side; refresh it a little sooner while the answer is computed. */
const TYPING_REFRESH_MS = 8000;

/** The question text in a message, or undefined when the message is not addressed to the bot. */
export function questionText(message: { readonly content: string; readonly inDm: boolean; readonly fromBot: boolean }, botUserId: string): string | undefined {
  if (message.fromBot) return undefined;
  // In a DM everything is addressed to us; a mention of the bot there (out of habit) is not part of the question.
  if (message.inDm) return stripMentionsOf(message.content, botUserId);
  // Only an explicit <@bot> counts: @everyone/@here and role mentions are not addressed to us.
  if (!mentionsUser(message.content, botUserId)) return undefined;
  return stripMentionsOf(message.content, botUserId);
}

/** Handles one created message. Never rejects: failures are logged and answered as a reply. */
export function createMessageHandler(ctx: BotContext): (message: Message) => Promise<void> {
  return async (message) => {
    const botUserId = message.client.user.id;
    const inDm = !message.inGuild();
    const text = questionText({ content: message.content, inDm, fromBot: message.author.bot || message.webhookId !== null || message.system }, botUserId);
    if (text === undefined) return;
    const context = { handler: inDm ? 'dm' : 'mention', shard: shardFor(message.client, message.guildId), userId: message.author.id, guildId: message.guildId, channelId: message.channelId };
    try {
      if (/^help[.!?]?$/i.test(text)) {
        await replyToMessage(message, renderHelp({ article: ctx.service.library.latest, botMention: userMention(botUserId), rateLimit: ctx.rateLimit }));
        return;
      }
      if (text === '') {
        await replyToMessage(message, renderAskPrompt(ctx.service.library.latest, inDm ? undefined : userMention(botUserId)));
        return;
      }
      await handleQuestion(ctx, { surface: inDm ? 'dm' : 'mention', shard: context.shard }, async (track) => {
        const question = admitQuestion(ctx, text, message.author.id);
        const thread = ctx.autoThread && !inDm ? await openThread(message, question, ctx) : undefined;
        const target = thread ?? (message.channel.isSendable() ? message.channel : undefined);
        const reply = await withTyping(target, () => composeAnswer(ctx, question, { track }), ctx);
        await deliver(message, thread, reply);
      });
    } catch (error) {
      await replyToMessageWithFailure(message, error, ctx.logger, context);
    }
  };
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

async function deliver(message: Message, thread: SendableChannels | undefined, reply: Reply): Promise<void> {
  if (thread) await sendToChannel(thread, reply);
  else await replyToMessage(message, reply);
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
