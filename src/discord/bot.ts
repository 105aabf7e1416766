import { Client, Events, GatewayIntentBits, Partials, type ClientOptions, type CloseEvent } from 'discord.js';
import type { Config } from '../config.js';
import type { AnswerService } from '../core/service.js';
import { DISCORD_INTERACTION_DEADLINE_MS } from '../limits.js';
import { redact, scrub, type Logger } from '../log.js';
import { createAnswerMemory } from './answer-memory.js';
import { commands as allCommands, commandMap, type Command } from './commands/index.js';
import type { BotContext } from './context.js';
import { createCooldown } from './cooldown.js';
import { openFeedbackStore, type FeedbackStore } from './feedback.js';
import { createMessageHandler } from './messages.js';
import { describeError } from './respond.js';
import { createInteractionHandler } from './router.js';

/** Start-up could not log in; the message says what to fix and never contains the token. */
export class DiscordLoginError extends Error {
  override name = 'DiscordLoginError';
}

export interface StartBotOptions {
  /** `config.discord.token` is required; `apiUrl` points the client at another Discord-API server. */
  readonly config: Config;
  readonly service: AnswerService;
  readonly logger: Logger;
  /** Defaults to every command in `commands/index.ts`. */
  readonly commands?: readonly Command[];
  /** Defer an interaction answer that is not ready after this long (default 1500 ms, half of Discord's 3 s deadline). */
  readonly deferAfterMs?: number;
  /** Give up logging in after this long (default 60 s): a gateway that never says READY would otherwise hang start-up. */
  readonly loginTimeoutMs?: number;
  /** Where 👍/👎 go (default: a store appending to `FEEDBACK_PATH`); closed by `stop()`. */
  readonly feedback?: FeedbackStore;
}

export interface RunningBot {
  readonly client: Client<true>;
  /**
   * Resolves with one actionable line when Discord ends the connection for good (token reset,
   * intent revoked: discord.js does not reconnect then); never resolves otherwise. The entry point
   * exits on it, so a supervisor restarts or reports the bot instead of it idling offline.
   */
  readonly disconnected: Promise<string>;
  /** Disconnects, then flushes and closes the feedback file. Safe to call twice. */
  stop(): Promise<void>;
}

// Half the deadline: leaves room for the defer request itself to reach Discord in time.
const DEFAULT_DEFER_AFTER_MS = DISCORD_INTERACTION_DEADLINE_MS / 2;
const DEFAULT_LOGIN_TIMEOUT_MS = 60_000;

/**
 * Builds the client, wires the handlers, logs in and resolves once Discord reports the bot ready
 * (logging "Ready as <tag> in N guilds").
 * @throws DiscordLoginError with one actionable line: bad token, Message Content intent not
 *   enabled (close 4014), unreachable API, or timeout. The client is destroyed and the feedback
 *   store closed before it is thrown.
 */
export async function startBot({ config, service, logger, commands = allCommands, deferAfterMs = DEFAULT_DEFER_AFTER_MS, loginTimeoutMs = DEFAULT_LOGIN_TIMEOUT_MS, feedback: givenFeedback }: StartBotOptions): Promise<RunningBot> {
  const { token, apiUrl, messageContentIntent, rateLimit, autoThread, feedbackPath } = config.discord;
  if (!token) throw new DiscordLoginError('DISCORD_TOKEN is not set; the bot cannot log in.');
  redact(token);

  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];
  if (messageContentIntent) intents.push(GatewayIntentBits.MessageContent);
  const options: ClientOptions = {
    intents,
    // DM channels are not cached before their first message; without this partial, DMs are dropped silently.
    partials: [Partials.Channel],
    // A default for anything that slips past the reply helper.
    allowedMentions: { parse: [] },
  };
  // Only when set: `api: undefined` would make every request fail with "Invalid URL".
  if (apiUrl) options.rest = { api: apiUrl };
  const client = new Client(options);

  const feedback = givenFeedback ?? openFeedbackStore(feedbackPath);
  const ctx: BotContext = {
    service,
    logger,
    feedback,
    answers: createAnswerMemory(),
    cooldown: createCooldown({ limit: rateLimit.questions, windowMs: rateLimit.perSeconds * 1000 }),
    voteCooldown: createCooldown({ limit: rateLimit.questions, windowMs: rateLimit.perSeconds * 1000 }),
    rateLimit,
    autoThread,
    deferAfterMs,
  };

  const onInteraction = createInteractionHandler(commandMap(commands), ctx);
  const onMessage = createMessageHandler(ctx);
  // Handlers already answer their own failures; these catches only stop a bug there from becoming
  // an unhandled rejection that would end the process.
  client.on(Events.InteractionCreate, (interaction) => {
    onInteraction(interaction).catch((error: unknown) => logger.error('Interaction handler failed', { error: describeError(error) }));
  });
  client.on(Events.MessageCreate, (message) => {
    onMessage(message).catch((error: unknown) => logger.error('Message handler failed', { error: describeError(error) }));
  });
  // Without an 'error' listener an emitted error would be thrown and end the process.
  client.on(Events.Error, (error) => logger.error('Discord client error', { error: describeError(error) }));
  client.on(Events.ShardError, (error) => logger.warn('Gateway connection error', { error: describeError(error) }));
  client.on(Events.Warn, (message) => logger.warn(message));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await client.destroy();
    await feedback.close();
  };

  try {
    await loginAndWaitForReady(client, token, loginTimeoutMs, apiUrl);
  } catch (error) {
    await stop().catch(() => undefined);
    if (error instanceof DiscordLoginError) throw error;
    throw new DiscordLoginError('Could not log in to Discord.');
  }

  // After stop() the client's own normal close looks like a reconnect; only report real ones.
  const disconnected = new Promise<string>((resolve) => {
    client.on(Events.ShardDisconnect, (event) => {
      if (stopped) return;
      const reason = `Disconnected from Discord for good: ${explainCloseCode(event.code) ?? `gateway close ${event.code}`}`;
      logger.error(reason);
      resolve(reason);
    });
  });
  client.on(Events.ShardReconnecting, () => {
    if (!stopped) logger.info('Reconnecting to Discord');
  });
  const ready = client as Client<true>;
  logger.info(`Ready as ${ready.user.tag} in ${ready.guilds.cache.size} guild${ready.guilds.cache.size === 1 ? '' : 's'}`, {
    mode: service.mode,
    messageContentIntent,
    autoThread,
  });
  return { client: ready, disconnected, stop };
}

async function loginAndWaitForReady(client: Client, token: string, timeoutMs: number, apiUrl: string | undefined): Promise<void> {
  let closeCode: number | undefined;
  let onDisconnect: ((event: CloseEvent) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  // discord.js reports an unrecoverable gateway close (4004, 4014 …) as a shard disconnect; the
  // login promise may reject with a vaguer error, so the close code decides the message.
  const closed = new Promise<never>((_, reject) => {
    onDisconnect = (event) => {
      closeCode = event.code;
      reject(new Error(`gateway closed with ${event.code}`));
    };
    client.on(Events.ShardDisconnect, onDisconnect);
  });
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DiscordLoginError(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for Discord to report the bot ready.`)), timeoutMs);
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await Promise.race([client.login(token).then(() => ready), closed, timedOut]);
  } catch (error) {
    if (error instanceof DiscordLoginError) throw error;
    throw new DiscordLoginError(scrub(explainLoginFailure(error, closeCode, apiUrl)));
  } finally {
    clearTimeout(timer);
    if (onDisconnect) client.off(Events.ShardDisconnect, onDisconnect);
    // The losers of the race may still settle; they must not surface as unhandled rejections.
    closed.catch(() => undefined);
    timedOut.catch(() => undefined);
  }
}

const TOKEN_REJECTED =
  'Discord rejected DISCORD_TOKEN (invalid, or reset since it was copied). Copy a fresh token from the Developer Portal (Bot → Reset Token) into .env.';

/** What a gateway close code means for whoever runs the bot; undefined for codes with nothing to fix. */
export function explainCloseCode(code: number): string | undefined {
  switch (code) {
    case 4004:
      return TOKEN_REJECTED;
    case 4014:
      return 'Discord refused the Message Content intent (gateway close 4014, "Disallowed intents"). Enable it in the Developer Portal (Bot → Privileged Gateway Intents → Message Content Intent), or set MESSAGE_CONTENT_INTENT=false — mentions and DMs work without it.';
    case 4013:
      return 'Discord rejected the requested gateway intents (gateway close 4013, "Invalid intents").';
    case 4010:
    case 4011:
      return `Discord requires sharding for this bot (gateway close ${code}); this bot runs a single shard.`;
    case 4012:
      return 'Discord rejected the gateway API version (gateway close 4012); update discord.js.';
    default:
      return undefined;
  }
}

/** One actionable line for a failed login. Pure; the caller scrubs secrets from the result. */
export function explainLoginFailure(error: unknown, closeCode: number | undefined, apiUrl: string | undefined): string {
  const byCode = closeCode === undefined ? undefined : explainCloseCode(closeCode);
  if (byCode) return byCode;
  const e = error as { code?: unknown; status?: unknown; message?: unknown; cause?: { code?: unknown } } | undefined;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (e?.code === 'TokenInvalid' || e?.status === 401 || message === 'Authentication failed') return TOKEN_REJECTED;
  if (message === 'Used disallowed intents') return explainCloseCode(4014)!;
  const unreachable = explainUnreachable(error, apiUrl);
  if (unreachable) return unreachable;
  if (closeCode !== undefined) return `Discord closed the gateway connection (code ${closeCode}): ${message}`;
  return `Could not log in to Discord: ${message}`;
}

/** "Could not reach Discord …" for network failures (refused, DNS, timeout); undefined for anything else. */
export function explainUnreachable(error: unknown, apiUrl: string | undefined): string | undefined {
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } } | undefined;
  const network = [e?.code, e?.cause?.code].find((c) => typeof c === 'string' && /^(E[A-Z]+|UND_ERR_\w+)$/.test(c));
  if (!network && e?.message !== 'fetch failed') return undefined;
  const where = apiUrl ? ` at ${apiUrl}` : '';
  return `Could not reach Discord${where} (${String(network ?? e?.message)}). Check the network${apiUrl ? ' and DISCORD_API_URL' : ''}.`;
}
