import type { APIAllowedMentions, APIMessage, GatewayIdentifyData } from 'discord-api-types/v10';

/** Options of {@link startFakeDiscord}. Every field is optional. */
export interface FakeDiscordOptions {
  /** The bot token the fake accepts (REST `Authorization: Bot <token>` and gateway IDENTIFY/RESUME). */
  readonly token?: string;
  /**
   * Privileged intents enabled for the app "in the developer portal": a bitfield of
   * GuildMembers (1<<1), GuildPresences (1<<8) and MessageContent (1<<15). An IDENTIFY asking for
   * any other privileged intent is closed with 4014 "Disallowed intent(s)". Default 0 (none).
   */
  readonly privilegedIntents?: number;
  /** Time the bot has to acknowledge an interaction, from its dispatch. Default 3000 ms. */
  readonly interactionDeadlineMs?: number;
  /** Lifetime of an interaction token for webhook edits/follow-ups, from its creation. Default 15 min. */
  readonly interactionTokenLifetimeMs?: number;
  /** `heartbeat_interval` sent in HELLO. Default 41 250 ms. */
  readonly heartbeatIntervalMs?: number;
  /**
   * When true (default), `slashCommand`/`autocomplete`/`messageCommand` throw unless the bot has
   * registered the command (globally or in the guild) — a real user can only run registered commands.
   */
  readonly requireRegisteredCommands?: boolean;
  /** Permissions of the bot's managed role (default: view, send, embed, attach, history, reactions, threads, manage messages/threads). */
  readonly botPermissions?: bigint;
  /** Permissions of @everyone (default: view, send, embed, attach, history, reactions, app commands, public threads). */
  readonly everyonePermissions?: bigint;
  /** Hang guard of every waiter that is not given `timeoutMs`. Default 10 000 ms. */
  readonly defaultTimeoutMs?: number;
  /** `shards` of `GET /gateway/bot`: the shard count Discord recommends. Default 1. */
  readonly recommendedShards?: number;
  /** `session_start_limit.max_concurrency` of `GET /gateway/bot`: shards that may identify at once (discord.js waits 5 s between identifies otherwise). Default 1. */
  readonly maxConcurrency?: number;
  /** More guilds than this on one shard and IDENTIFY is closed with 4011 "Sharding required" (Discord: 2,500). Default: no limit. */
  readonly maxGuildsPerShard?: number;
  /** Close gateway connections without a User-Agent header with 4002, as Spacebar's default configuration does. Default false. */
  readonly gatewayRequiresUserAgent?: boolean;
  /** Display names. */
  readonly botName?: string;
  readonly guildName?: string;
}

/** A file part of a multipart request. */
export interface RecordedFile {
  /** The form field name, e.g. `files[0]`. */
  readonly field: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly data: Buffer;
}

/** One HTTP request the bot made, logged when its response was sent. */
export interface RecordedRequest {
  /** 1, 2, 3… in arrival order. */
  readonly seq: number;
  readonly method: string;
  /** The route after `/api/v10`, without the query: `/channels/123/messages`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body, or the parsed `payload_json` of a multipart body; undefined without a body. */
  readonly body: unknown;
  readonly files: readonly RecordedFile[];
  /** Date.now() when the request arrived. */
  readonly at: number;
  /** The response status the fake sent. */
  readonly status: number;
  /** The JSON the fake answered with (undefined for 204). */
  readonly response: unknown;
  /** True when the response came from {@link RestFaultSpec | an injected fault}. */
  readonly fault: boolean;
}

/** How the bot produced a message. */
export type MessageSource = 'channel' | 'interaction' | 'followup';

/**
 * A message the bot created: Discord's message object (with `guild_id` in guilds) plus what the
 * fake knows about it. Waiters hand out snapshots; `FakeDiscord.messages` gives current states.
 */
export interface BotMessage extends APIMessage {
  readonly guild_id?: string;
  /** `allowed_mentions` as the bot sent it (Discord does not echo it back). */
  readonly allowed_mentions?: APIAllowedMentions;
  readonly via: MessageSource;
  /** The interaction this message answers, for `interaction`/`followup` messages. */
  readonly interaction_id?: string;
  /** Ephemeral messages (flag 64) are never dispatched over the gateway. */
  readonly ephemeral: boolean;
  readonly deleted: boolean;
  /** 0 when created, +1 on every edit. */
  readonly version: number;
}

/** A change to a bot message. */
export interface MessageEvent {
  readonly kind: 'create' | 'update' | 'delete';
  readonly message: BotMessage;
  readonly at: number;
}

/** `POST /channels/{id}/typing`. */
export interface TypingEvent {
  readonly channelId: string;
  readonly at: number;
}

/** What a session looks like to tests. */
export interface SessionInfo {
  readonly sessionId: string;
  readonly connectionId: number;
  /** `[shard id, shard count]` as identified (`[0, 1]` without sharding). */
  readonly shard: readonly [number, number];
  readonly intents: number;
  /** The last sequence number dispatched on the session. */
  readonly seq: number;
  /** True when this connection got the session by RESUME. */
  readonly resumed: boolean;
}

/** The gateway's log, for tests and for timeout diagnostics. */
export type GatewayEvent =
  | { readonly type: 'connect'; readonly connectionId: number; readonly url: string; readonly at: number }
  | { readonly type: 'identify'; readonly connectionId: number; readonly identify: GatewayIdentifyData; readonly at: number }
  | { readonly type: 'ready'; readonly session: SessionInfo; readonly at: number }
  | { readonly type: 'resume'; readonly connectionId: number; readonly sessionId: string; readonly seq: number; readonly ok: boolean; readonly replayed: number; readonly at: number }
  | { readonly type: 'resumed'; readonly session: SessionInfo; readonly at: number }
  | { readonly type: 'heartbeat'; readonly connectionId: number; readonly seq: number | null; readonly at: number }
  | { readonly type: 'close'; readonly connectionId: number; readonly code: number; readonly reason: string; readonly by: 'client' | 'server'; readonly sessionKept: boolean; readonly at: number }
  | { readonly type: 'dispatch'; readonly sessionId: string; readonly t: string; readonly s: number; readonly delivered: boolean; readonly at: number }
  | { readonly type: 'dropped'; readonly t: string; readonly reason: string; readonly at: number }
  | { readonly type: 'reconnect-sent' | 'invalid-session-sent'; readonly connectionId: number; readonly resumable?: boolean; readonly at: number }
  | { readonly type: 'presence-update' | 'voice-state-update' | 'request-guild-members'; readonly connectionId: number; readonly data: unknown; readonly at: number };

/** {@link FakeDiscord.injectRestFaults} */
export interface RestFaultSpec {
  /** Which requests fail: method (case-insensitive) and/or a pattern tested against the path after `/api/v10`. */
  readonly match: { readonly method?: string; readonly path?: RegExp };
  readonly status: 429 | 500 | 502 | 503;
  /** How many matching requests fail; later ones are served normally. */
  readonly count: number;
  /** For 429: `retry_after` (body) and `Retry-After` (header). Default 0.1 s. Fractions are sent as is. */
  readonly retryAfterSeconds?: number;
  /** For 429: a global rate limit (`X-RateLimit-Global: true`, `X-RateLimit-Scope: global`). */
  readonly global?: boolean;
}

/** An injected fault, live. */
export interface RestFault {
  readonly spec: RestFaultSpec;
  /** Faults still to serve. */
  readonly remaining: number;
  /** The requests that got the fault. */
  readonly hits: readonly RecordedRequest[];
  /** Resolves once all `count` faults were served. */
  exhausted(options?: { readonly timeoutMs?: number }): Promise<void>;
  /** Stops serving this fault. */
  cancel(): void;
}
