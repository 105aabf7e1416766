import {
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type AutocompleteInteraction,
  type BaseMessageOptions,
  type Message,
  type MessageComponentInteraction,
  type MessageMentionOptions,
  type RepliableInteraction,
  type SendableChannels,
} from 'discord.js';
import { UserError } from '../errors.js';
import type { Logger } from '../log.js';
import { layoutReply } from './layout.js';

/**
 * The one way the bot speaks. Every message, interaction reply, edit and follow-up is built by
 * `toMessagePayloads`, which lays the reply out within Discord's limits — as several messages
 * when it is too long for one, never cut — and turns every mention off, so no user text can ever
 * ping @everyone, a role or a user, and a reply never pings the asker.
 */

/** What renderers produce; the helpers below turn it into Discord payloads. Texts may be any length. */
export interface Reply {
  readonly content?: string;
  readonly embeds?: readonly APIEmbed[];
  readonly components?: readonly APIActionRowComponent<APIButtonComponent>[];
}

/** For message replies: parse nothing, and do not ping the author of the message replied to either. */
export const NO_MENTIONS_IN_REPLY = Object.freeze({ parse: [], repliedUser: false }) satisfies MessageMentionOptions;

export const GENERIC_FAILURE = 'Something went wrong while answering — please try again.';

type Payload = BaseMessageOptions & { allowedMentions: MessageMentionOptions };

/**
 * One payload per message to send, in order (see `layoutReply`), mentions off. Exported for tests
 * and for the rare caller building its own request.
 */
export function toMessagePayloads(reply: Reply): Payload[] {
  return layoutReply(reply).map((part) => {
    // Parse nothing: the text still shows, no one is notified.
    const payload: Payload = { allowedMentions: { parse: [] } };
    if (part.content !== undefined) payload.content = part.content;
    if (part.embeds !== undefined) payload.embeds = [...part.embeds];
    if (part.components !== undefined) payload.components = part.components;
    return payload;
  });
}

export interface InteractionReplyMode {
  /** Only the person who triggered the interaction sees the reply. Fixed once deferred. */
  readonly ephemeral: boolean;
}

/**
 * Answers an interaction in whatever state it is in: a first reply, an edit of the deferred reply
 * ("thinking…"), or a follow-up when it was already answered. After a defer the visibility chosen
 * when deferring applies. A reply too long for one message continues in follow-ups, each as
 * visible as the first part (an ephemeral answer never continues in public).
 */
export async function replyToInteraction(interaction: RepliableInteraction, reply: Reply, { ephemeral }: InteractionReplyMode): Promise<void> {
  const [first, ...rest] = toMessagePayloads(reply);
  const flags = ephemeral ? MessageFlags.Ephemeral : undefined;
  let firstEphemeral = ephemeral;
  if (interaction.deferred) {
    firstEphemeral = interaction.ephemeral ?? ephemeral;
    await interaction.editReply(first!);
  } else if (interaction.replied) {
    await interaction.followUp({ ...first, flags });
  } else {
    await interaction.reply({ ...first, flags });
  }
  for (const part of rest) {
    await interaction.followUp({ ...part, flags: firstEphemeral ? MessageFlags.Ephemeral : undefined });
  }
}

/**
 * Replaces the message a button is on (the next page of a list), as the click's acknowledgement.
 * @throws Error when the reply does not fit in one message (an update cannot add messages).
 */
export async function updateInteractionMessage(interaction: MessageComponentInteraction, reply: Reply): Promise<void> {
  const [only, ...rest] = toMessagePayloads(reply);
  if (rest.length > 0) throw new Error('A message update must fit in one message.');
  await interaction.update(only!);
}

export interface DeadlineOptions extends InteractionReplyMode {
  /**
   * How long to wait for the answer before acknowledging with "thinking…". Discord voids an
   * interaction not acknowledged within 3 s; waiting ~1.5 s leaves room for the round trip.
   */
  readonly deferAfterMs: number;
}

/**
 * Replies with `work`'s result directly when it is ready within `deferAfterMs`; otherwise defers
 * (ephemeral when the answer will be) and edits the deferred reply once it is ready.
 * @throws whatever `work` rejects with (the caller's failure handler answers it) or a Discord error.
 */
export async function answerInteractionWithin(interaction: RepliableInteraction, work: Promise<Reply>, options: DeadlineOptions): Promise<void> {
  // Observe the outcome right away so a rejection while we defer is never "unhandled".
  const outcome = work.then(
    (reply) => ({ ok: true as const, reply }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => {
    timer = setTimeout(() => resolve('slow'), options.deferAfterMs);
  });
  const first = await Promise.race([outcome, slow]);
  clearTimeout(timer);
  if (first === 'slow') {
    await interaction.deferReply({ flags: options.ephemeral ? MessageFlags.Ephemeral : undefined });
  }
  const settled = first === 'slow' ? await outcome : first;
  if (!settled.ok) throw settled.error;
  await replyToInteraction(interaction, settled.reply, options);
}

/**
 * A reply to a user's message that does not ping them; sent plainly if their message is gone. A
 * reply too long for one message continues in the next messages of the same channel, in order.
 * @returns every message sent, first first.
 */
export async function replyToMessage(message: Message, reply: Reply): Promise<Message[]> {
  const [first, ...rest] = toMessagePayloads(reply);
  const sent: Message[] = [await message.reply({ ...first, allowedMentions: NO_MENTIONS_IN_REPLY, failIfNotExists: false })];
  for (const part of rest) {
    // The later parts read as the continuation they are, without repeating the reply's header.
    sent.push(message.channel.isSendable() ? await message.channel.send(part) : await message.reply({ ...part, allowedMentions: NO_MENTIONS_IN_REPLY, failIfNotExists: false }));
  }
  return sent;
}

/** New messages in a channel or thread (several when the reply is too long for one), in order. */
export async function sendToChannel(channel: SendableChannels, reply: Reply): Promise<Message[]> {
  const sent: Message[] = [];
  for (const part of toMessagePayloads(reply)) sent.push(await channel.send(part));
  return sent;
}

/** Autocomplete suggestions; never throws (a late or failed suggestion list is only logged). */
export async function respondWithChoices(
  interaction: AutocompleteInteraction,
  choices: readonly { name: string; value: number | string }[],
  logger: Logger,
): Promise<void> {
  if (interaction.responded) return;
  try {
    await interaction.respond([...choices]);
  } catch (error) {
    logger.warn('Could not send autocomplete choices', { command: interaction.commandName, error: describeError(error) });
  }
}

/** Who and where, for logs. Never includes the token (the logger also scrubs it). */
export interface FailureContext {
  readonly handler: string;
  /** The gateway shard the event came in on. */
  readonly shard?: number;
  readonly userId?: string | undefined;
  readonly guildId?: string | null | undefined;
  readonly channelId?: string | null | undefined;
}

/**
 * The text a user sees for an error: a UserError's own message, otherwise the generic line.
 * Anything that is not a UserError is logged with context; a UserError only at debug level.
 */
export function failureMessage(error: unknown, logger: Logger, context: FailureContext): string {
  if (error instanceof UserError) {
    logger.debug('Refused', { ...context, reason: error.message });
    return error.message;
  }
  logger.error('Handler failed', { ...context, error: error instanceof Error ? error : String(error) });
  return GENERIC_FAILURE;
}

/**
 * Tells the user an interaction failed: ephemeral where still possible (edits the deferred reply
 * otherwise). Never throws; if even that fails (interaction expired), it is logged.
 */
export async function replyWithFailure(interaction: RepliableInteraction, error: unknown, logger: Logger, context: FailureContext): Promise<void> {
  const message = failureMessage(error, logger, context);
  try {
    if (interaction.deferred && !interaction.ephemeral) {
      // A public "thinking…" must not turn into a public error: remove it, tell only the asker.
      await interaction.deleteReply();
      for (const part of toMessagePayloads({ content: message })) await interaction.followUp({ ...part, flags: MessageFlags.Ephemeral });
      return;
    }
    await replyToInteraction(interaction, { content: message }, { ephemeral: true });
  } catch (replyError) {
    logger.warn('Could not tell the user about a failure', { ...context, error: describeError(replyError) });
  }
}

/** A failure on a message question, answered as a reply. Never throws. */
export async function replyToMessageWithFailure(message: Message, error: unknown, logger: Logger, context: FailureContext): Promise<void> {
  const text = failureMessage(error, logger, context);
  try {
    await replyToMessage(message, { content: text });
  } catch (replyError) {
    logger.warn('Could not tell the user about a failure', { ...context, error: describeError(replyError) });
  }
}

/** One line for logs: name, message and Discord error code when there is one. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return `${error.name}: ${error.message}${code !== undefined ? ` (code ${String(code)})` : ''}`;
}
