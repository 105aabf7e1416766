import {
  Client,
  Events,
  GatewayCloseCodes,
  GatewayIntentBits,
  Partials,
  SimpleShardingStrategy,
  type ClientOptions,
  type CloseEvent,
  type ManagerShardEventsMap,
  type WebSocketOptions,
} from 'discord.js';
import type { Config } from '../config.js';
import type { AnswerService } from '../core/service.js';
import { DISCORD_INTERACTION_DEADLINE_MS } from '../limits.js';
import { redact, scrub, type Logger } from '../log.js';
import { noMetrics, type Metrics } from '../ops/metrics.js';
import { createAnswerMemory } from './answer-memory.js';
import { commands as allCommands, commandMap, type Command } from './commands/index.js';
import type { BotContext } from './context.js';
import { createConversations } from './conversations.js';
import { createCooldown } from './cooldown.js';
import { createExclusive } from './exclusive.js';
import { openFeedbackStore, type FeedbackStore } from './feedback.js';
import { createMessageHandler } from './messages.js';
import { describeError } from './respond.js';
import { createInteractionHandler } from './router.js';
import { describeShards, shardStates, type ShardState } from './shards.js';

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
  /** Where questions and votes are counted (default: nowhere). */
  readonly metrics?: Metrics;
  /** The clock the bot's memory of conversations and threads expires by (default `Date.now`). */
  readonly now?: () => number;
}

export interface RunningBot {
  readonly client: Client<true>;
  /**
   * Resolves with one actionable line when Discord ends the connection for good (token reset,
   * intent revoked: discord.js does not reconnect then); never resolves otherwise. The entry point
   * exits on it, so a supervisor restarts or reports the bot instead of it idling offline.
   */
  readonly disconnected: Promise<string>;
  /** How each shard this process runs is doing (status, ping, servers), for health and metrics. */
  shards(): ShardState[];
  /** Disconnects, then flushes and closes the feedback file. Safe to call twice. */
  stop(): Promise<void>;
}

// Half the deadline: leaves room for the defer request itself to reach Discord in time.
const DEFAULT_DEFER_AFTER_MS = DISCORD_INTERACTION_DEADLINE_MS / 2;
const DEFAULT_LOGIN_TIMEOUT_MS = 60_000;
/**
 * Gateway closes before READY after which logging in is given up. discord.js reconnects about
 * half a second after a recoverable close, so this is a few seconds of a gateway refusing every
 * connection (a Discord-compatible server rejecting the client, for instance); a passing network
 * fault rarely closes five times in a row.
 */
const MAX_GATEWAY_CLOSES_BEFORE_READY = 5;

type GatewayManager = Parameters<NonNullable<WebSocketOptions['buildStrategy']>>[0];
/** The gateway manager's "closed" event (discord.js does not pass the close code on to the client). */
const GATEWAY_CLOSED = 'closed' as Extract<keyof ManagerShardEventsMap, 'closed'>;

/**
 * Builds the client, wires the handlers, logs in and resolves once Discord reports the bot ready
 * (logging "Ready as <tag> in N guilds").
 * @throws DiscordLoginError with one actionable line: bad token, Message Content intent not
 *   enabled (close 4014), unreachable API, or timeout. The client is destroyed and the feedback
 *   store closed before it is thrown.
 */
export async function startBot({
  config,
  service,
  logger,
  commands = allCommands,
  deferAfterMs = DEFAULT_DEFER_AFTER_MS,
  loginTimeoutMs = DEFAULT_LOGIN_TIMEOUT_MS,
  metrics = noMetrics,
  feedback: givenFeedback,
  now = Date.now,
}: StartBotOptions): Promise<RunningBot> {
  const { token, apiUrl, messageContentIntent, rateLimit, autoThread, feedbackPath, shards } = config.discord;
  if (!token) throw new DiscordLoginError('DISCORD_TOKEN is not set; the bot cannot log in.');
  redact(token);

  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];
  if (messageContentIntent) intents.push(GatewayIntentBits.MessageContent);
  const closes = new GatewayCloses();
  const options: ClientOptions = {
    intents,
    // DM channels are not cached before their first message; without this partial, DMs are dropped silently.
    partials: [Partials.Channel],
    // A default for anything that slips past the reply helper.
    allowedMentions: { parse: [] },
    // discord.js's own sharding: every shard of the range in this process, sharing one answer service.
    ...(shards.count === 'auto' ? { shards: 'auto' as const } : { shards: [...(shards.ids ?? range(shards.count))], shardCount: shards.count }),
    ws: {
      // The default strategy, plus a listener for close codes (to explain a gateway that keeps closing).
      buildStrategy: (manager: GatewayManager) => {
        manager.on(GATEWAY_CLOSED, ({ code, shardId }) => closes.record(code, shardId));
        return new SimpleShardingStrategy(manager);
      },
    },
  };
  // Only when set: `api: undefined` would make every request fail with "Invalid URL".
  if (apiUrl) options.rest = { api: apiUrl };
  const client = withoutShardingEnvironment(() => new Client(options));

  const feedback = givenFeedback ?? openFeedbackStore(feedbackPath);
  const ctx: BotContext = {
    service,
    logger,
    metrics,
    feedback,
    answers: createAnswerMemory(),
    cooldown: createCooldown({ limit: rateLimit.questions, windowMs: rateLimit.perSeconds * 1000 }),
    voteCooldown: createCooldown({ limit: rateLimit.questions, windowMs: rateLimit.perSeconds * 1000 }),
    rateLimit,
    autoThread,
    messageContentIntent,
    conversations: createConversations({ now }),
    deferAfterMs,
    articleAdding: {
      ...config.discord.addArticle,
      articlesDir: config.articlesDir,
      fetch: config.fetch,
      singleArticle: config.articlePath,
      lock: createExclusive(),
    },
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
  client.on(Events.ShardError, (error, shard) => logger.warn('Gateway connection error', { shard, error: describeError(error) }));
  client.on(Events.Warn, (message) => logger.warn(message));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await client.destroy();
    await feedback.close();
  };

  try {
    await loginAndWaitForReady(client, { token, timeoutMs: loginTimeoutMs, apiUrl, closes });
  } catch (error) {
    await stop().catch(() => undefined);
    if (error instanceof DiscordLoginError) throw error;
    throw new DiscordLoginError('Could not log in to Discord.');
  }

  // After stop() the client's own normal close looks like a reconnect; only report real ones.
  // One shard gone for good takes the process down with it: a supervisor restarts it whole.
  const disconnected = new Promise<string>((resolve) => {
    client.on(Events.ShardDisconnect, (event, shard) => {
      if (stopped) return;
      const reason = `Disconnected from Discord for good: ${explainCloseCode(event.code) ?? `gateway close ${event.code}`}`;
      logger.error(reason, { shard });
      resolve(reason);
    });
  });
  client.on(Events.ShardReconnecting, (shard) => {
    if (!stopped) logger.info('Reconnecting to Discord', { shard });
  });
  client.on(Events.ShardResume, (shard, replayed) => logger.info('Resumed the gateway session', { shard, replayed }));
  client.on(Events.ShardReady, (shard) => logger.debug('Shard ready', { shard }));
  const ready = client as Client<true>;
  const shardIds = [...client.ws.shards.keys()];
  logger.info(`Ready as ${ready.user.tag} in ${ready.guilds.cache.size} guild${ready.guilds.cache.size === 1 ? '' : 's'}`, {
    shards: describeShards(shardIds, client.options.shardCount ?? shardIds.length),
    mode: service.mode,
    messageContentIntent,
    autoThread,
  });
  return { client: ready, disconnected, shards: () => shardStates(client), stop };
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

/**
 * discord.js's Client reads SHARD_COUNT and SHARDS from the environment when its options leave
 * them at their defaults — that is how its ShardingManager configures child processes. This
 * program's SHARD_COUNT (which may say "auto") is already parsed into the config, so it is kept
 * out of the Client's sight while it is built.
 */
function withoutShardingEnvironment<T>(build: () => T): T {
  const saved = { SHARD_COUNT: process.env.SHARD_COUNT, SHARDS: process.env.SHARDS };
  delete process.env.SHARD_COUNT;
  delete process.env.SHARDS;
  try {
    return build();
  } finally {
    for (const [key, value] of Object.entries(saved)) if (value !== undefined) process.env[key] = value;
  }
}

/**
 * Gateway closes seen while logging in, per shard (a large bot's many shards may each lose a
 * connection once without anything being wrong), and the last code: to explain a gateway that
 * keeps closing.
 */
class GatewayCloses {
  /** Most closes of any one shard. */
  count = 0;
  last: { readonly code: number; readonly shard: number } | undefined;
  readonly #perShard = new Map<number, number>();
  #listener: (() => void) | undefined;

  record(code: number, shard: number): void {
    const count = (this.#perShard.get(shard) ?? 0) + 1;
    this.#perShard.set(shard, count);
    this.count = Math.max(this.count, count);
    this.last = { code, shard };
    this.#listener?.();
  }

  /** Calls `listener` after every close (one listener at a time); returns a function that removes it. */
  watch(listener: () => void): () => void {
    this.#listener = listener;
    return () => {
      if (this.#listener === listener) this.#listener = undefined;
    };
  }
}

interface LoginOptions {
  readonly token: string;
  readonly timeoutMs: number;
  readonly apiUrl: string | undefined;
  readonly closes: GatewayCloses;
}

async function loginAndWaitForReady(client: Client, { token, timeoutMs, apiUrl, closes }: LoginOptions): Promise<void> {
  let closeCode: number | undefined;
  let onDisconnect: ((event: CloseEvent) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let unwatch: (() => void) | undefined;
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
    timer = setTimeout(() => {
      const seconds = Math.round(timeoutMs / 1000);
      const closed = closes.last ? describeRepeatedCloses(closes.count, closes.last.code) : '';
      const last = closed ? ` ${closed.charAt(0).toUpperCase()}${closed.slice(1)}` : '';
      reject(new DiscordLoginError(`Timed out after ${seconds} s waiting for Discord to report the bot ready.${last}`));
    }, timeoutMs);
  });
  // A gateway that closes every connection (recoverable codes, so discord.js keeps retrying) would
  // otherwise only end in the timeout above, without saying why.
  const keptClosing = new Promise<never>((_, reject) => {
    unwatch = closes.watch(() => {
      if (closes.count >= MAX_GATEWAY_CLOSES_BEFORE_READY && closes.last) {
        reject(new DiscordLoginError(`Could not log in: ${describeRepeatedCloses(closes.count, closes.last.code)}`));
      }
    });
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await Promise.race([client.login(token).then(() => ready), closed, timedOut, keptClosing]);
  } catch (error) {
    if (error instanceof DiscordLoginError) throw error;
    throw new DiscordLoginError(scrub(explainLoginFailure(error, closeCode, apiUrl)));
  } finally {
    clearTimeout(timer);
    unwatch?.();
    if (onDisconnect) client.off(Events.ShardDisconnect, onDisconnect);
    // The losers of the race may still settle; they must not surface as unhandled rejections.
    closed.catch(() => undefined);
    timedOut.catch(() => undefined);
    keptClosing.catch(() => undefined);
  }
}

/**
 * "the gateway closed the connection 5 times before the bot was ready; the last close was 4002
 * (DecodeError) …". discord.js passes on the close code but not the server's reason text, so the
 * code's documented name (and, where there is one, what to do) stands in for it.
 */
export function describeRepeatedCloses(count: number, code: number): string {
  const name = GatewayCloseCodes[code] ?? (code === 1006 ? 'connection lost' : undefined);
  const advice = explainCloseCode(code) ?? CLOSE_HINTS[code];
  return `the gateway closed the connection ${count} time${count === 1 ? '' : 's'} before the bot was ready; the last close was ${code}${name ? ` (${name})` : ''}.${advice ? ` ${advice}` : ''}`;
}

/** What a recoverable close code usually means for whoever runs the bot. */
const CLOSE_HINTS: Readonly<Record<number, string>> = {
  [GatewayCloseCodes.DecodeError]:
    'The server could not read what the client sent. Spacebar (a Discord-compatible server) closes connections without a User-Agent this way in its default configuration: see "Discord-compatible servers" in the README.',
  [GatewayCloseCodes.NotAuthenticated]: 'The server expected the client to identify first.',
  [GatewayCloseCodes.RateLimited]: 'The client sent too many gateway messages.',
};

const TOKEN_REJECTED =
  'Discord rejected DISCORD_TOKEN (invalid, or reset since it was copied). Copy a fresh token from the Developer Portal (Bot → Reset Token) into .env.';

/** What a gateway close code means for whoever runs the bot; undefined for codes with nothing to fix. */
export function explainCloseCode(code: number): string | undefined {
  switch (code) {
    case 4004:
      return TOKEN_REJECTED;
    case 4014:
      return 'Discord refused the Message Content intent (gateway close 4014, "Disallowed intents"). Enable it in the Developer Portal (Bot → Privileged Gateway Intents → Message Content Intent), or set MESSAGE_CONTENT_INTENT=false — mentions, DMs and replies to the bot work without it.';
    case 4013:
      return 'Discord rejected the requested gateway intents (gateway close 4013, "Invalid intents").';
    case 4010:
      return 'Discord rejected the shard settings (gateway close 4010, "Invalid shard"): check SHARD_COUNT and SHARD_IDS.';
    case 4011:
      return 'Discord requires more shards for this bot (gateway close 4011, "Sharding required"): set SHARD_COUNT=auto to use the count Discord recommends, or a larger SHARD_COUNT.';
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
