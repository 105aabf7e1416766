import { InteractionContextType, type ChatInputCommandInteraction } from 'discord.js';
import { CONVERSATION_TTL_MS } from '../core/conversation.js';

/**
 * Which conversation a question on Discord belongs to. A conversation is one user in one place:
 * their DM with the bot, a thread (one conversation per user there), or a chain of replies to the
 * bot's answers in a server channel. The core keeps each conversation's last turn under the key
 * made here and reads a follow-up ("What did he say?") in its light.
 *
 * The bot also remembers, bounded and for a while, which conversation each question and each of
 * its answer messages belongs to (so a reply to an answer continues it, whoever replies) and which threads it answers
 * in (so later messages there are questions to it). Nothing survives a restart: after one, a reply
 * to an old answer or a message in an old thread starts afresh.
 */

/**
 * How long a thread the bot answered in stays one whose messages are questions to it. Discord
 * archives a thread after a day without messages by default (its auto-archive duration of 1440
 * minutes), so a day after the bot's last answer the thread has usually gone quiet anyway.
 */
export const BOT_THREAD_TTL_MS = 24 * 60 * 60 * 1000;
/** Threads remembered at once; the least recently answered in are forgotten first. */
export const MAX_BOT_THREADS = 10_000;
/**
 * Questions and answer messages remembered at once. The core keeps at most 10,000 conversations;
 * a turn is a question and an answer of one or a few messages, and older ones are useless once
 * their conversation expired.
 */
export const MAX_ANSWER_MESSAGES = 30_000;
/**
 * How long the bot remembers which conversation a question or answer message belongs to: as long
 * as the core remembers the conversation itself (after that a reply is answered on its own anyway).
 */
export const ANSWER_MESSAGE_TTL_MS = CONVERSATION_TTL_MS;

/** Where a question was asked, as far as conversations care. */
export interface QuestionPlace {
  /** Who asked. */
  readonly userId: string;
  /** In the asker's DM with the bot. */
  readonly dm: boolean;
  /** The thread it was asked in, if any. */
  readonly threadId?: string | undefined;
  /**
   * What starts a new conversation in a server channel outside threads: the question message's
   * id, or the interaction's id for `/ask`. Replies to the answer continue that conversation.
   */
  readonly startId: string;
  /**
   * Answered so that only the asker sees it (`/ask private:true`). Outside a DM such questions
   * form a conversation of their own: a public follow-up, which says what it was taken to mean,
   * must never echo a private question.
   */
  readonly private?: boolean | undefined;
}

/**
 * The conversation key of a question asked in `place`: `dm:<user>` in a DM, `thread:<thread>:<user>`
 * in a thread (two people in one thread are two conversations), `chain:<id>` in a server channel,
 * where each question starts its own chain (a channel is many people talking; following up there
 * is what Discord's reply is for). Slash commands and messages in one place get the same key.
 */
export function conversationKey(place: QuestionPlace): string {
  if (place.dm) return `dm:${place.userId}`;
  const suffix = place.private ? ':private' : '';
  if (place.threadId !== undefined) return `thread:${place.threadId}:${place.userId}${suffix}`;
  return `chain:${place.startId}${suffix}`;
}

/** Where a slash command was used: in the bot's DM, a thread, or elsewhere (its own conversation). */
export function interactionPlace(interaction: Pick<ChatInputCommandInteraction, 'user' | 'context' | 'channel' | 'channelId' | 'id'>, { private: ephemeral = false } = {}): QuestionPlace {
  return {
    userId: interaction.user.id,
    dm: interaction.context === InteractionContextType.BotDM,
    threadId: interaction.channel?.isThread() ? interaction.channelId : undefined,
    startId: interaction.id,
    private: ephemeral,
  };
}

/** A bot message that was replied to. */
export interface RepliedBotMessage {
  readonly id: string;
  /** The message it replied to in turn: the question it answered, if it was a reply. */
  readonly answeredId?: string | undefined;
  /** The interaction the message responded to (`/ask` and other commands), if any. */
  readonly interaction?: { readonly id: string; readonly userId: string } | undefined;
}

/** What the bot remembers about its conversations on Discord. */
export interface Conversations {
  /**
   * The conversation a reply to `replied` (one of the bot's messages) continues: the one that
   * message, or the question it replied to, belongs to when it is remembered; for a slash-command
   * answer, the conversation that command was asked in; otherwise a new one where the reply is
   * (`place`).
   */
  continuedBy(replied: RepliedBotMessage, place: QuestionPlace): string;
  /**
   * Remembers that `messageIds` belong to conversation `key`: a question as it is being answered
   * (its answer replies to it, so a reply to the answer finds the conversation even before the
   * answer's id is known), and the bot's messages once they are sent.
   */
  remember(key: string, messageIds: readonly string[]): void;
  /** Remembers that the bot answered (in public) in thread `threadId`. */
  answeredInThread(threadId: string): void;
  /** True while the bot's last answer in `threadId` is at most `BOT_THREAD_TTL_MS` old. */
  isBotThread(threadId: string): boolean;
}

export interface ConversationsOptions {
  /** Epoch milliseconds; a test moves it instead of waiting. */
  readonly now?: () => number;
  readonly threadTtlMs?: number;
  readonly maxThreads?: number;
  readonly answerTtlMs?: number;
  readonly maxAnswers?: number;
}

export function createConversations({
  now = Date.now,
  threadTtlMs = BOT_THREAD_TTL_MS,
  maxThreads = MAX_BOT_THREADS,
  answerTtlMs = ANSWER_MESSAGE_TTL_MS,
  maxAnswers = MAX_ANSWER_MESSAGES,
}: ConversationsOptions = {}): Conversations {
  const answers = createExpiringMap<string>({ capacity: maxAnswers, ttlMs: answerTtlMs, now });
  const threads = createExpiringMap<true>({ capacity: maxThreads, ttlMs: threadTtlMs, now });
  return {
    continuedBy(replied, place) {
      const remembered = answers.get(replied.id) ?? (replied.answeredId === undefined ? undefined : answers.get(replied.answeredId));
      if (remembered !== undefined) return remembered;
      // A reply is in the channel of the message it replies to, so the command was asked here too.
      if (replied.interaction) return conversationKey({ ...place, userId: replied.interaction.userId, startId: replied.interaction.id });
      return conversationKey(place);
    },
    remember(key, messageIds) {
      for (const id of messageIds) answers.set(id, key);
    },
    answeredInThread(threadId) {
      threads.set(threadId, true);
    },
    isBotThread(threadId) {
      return threads.get(threadId) !== undefined;
    },
  };
}

interface ExpiringMap<V> {
  /** The value, if set at most `ttlMs` ago. */
  get(key: string): V | undefined;
  /** Sets (or refreshes) the value; the least recently set entries go first beyond `capacity`. */
  set(key: string, value: V): void;
}

/** A bounded map whose entries expire `ttlMs` after they were last set (Map keeps insertion order). */
function createExpiringMap<V>({ capacity, ttlMs, now }: { capacity: number; ttlMs: number; now: () => number }): ExpiringMap<V> {
  const entries = new Map<string, { value: V; at: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (now() - entry.at > ttlMs) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, { value, at: now() });
      // The oldest entries come first: drop the expired ones and any beyond capacity.
      for (const [oldest, entry] of entries) {
        if (entries.size <= capacity && now() - entry.at <= ttlMs) break;
        entries.delete(oldest);
      }
    },
  };
}
