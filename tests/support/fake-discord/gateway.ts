import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import {
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  type APIGuildMember,
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type GatewayIdentifyData,
  type GatewayReadyDispatchData,
} from 'discord-api-types/v10';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { GatewayEvent, SessionInfo } from './types.js';
import { isRecord } from './validation.js';
import type { EventLog } from './waiters.js';

/**
 * The gateway (v10, JSON, optional zlib-stream transport compression) on the fake's HTTP port.
 *
 * Sessions work like Discord's: every dispatch gets the session's next sequence number and is kept,
 * so a RESUME with the session id replays what the client missed, then RESUMED. While a session's
 * connection is gone (closed, terminated, told to reconnect), dispatches are queued on it. A session
 * ends when the client closes with 1000/1001, when the fake closes with a non-resumable code, on
 * INVALID_SESSION(false), or when a new IDENTIFY for the same shard replaces it; events dispatched
 * while no session is valid are dropped (logged as `dropped`), as Discord does for a new session.
 */

export const PRIVILEGED_INTENTS =
  GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;

const ALL_INTENTS = Object.values(GatewayIntentBits)
  .filter((v): v is number => typeof v === 'number')
  .reduce((a, b) => a | b, 0);

/** Close codes after which Discord does not let the session be resumed. */
const NON_RESUMABLE_CLOSE_CODES: ReadonlySet<number> = new Set([
  GatewayCloseCodes.AuthenticationFailed,
  GatewayCloseCodes.InvalidSeq,
  GatewayCloseCodes.SessionTimedOut,
  GatewayCloseCodes.InvalidShard,
  GatewayCloseCodes.ShardingRequired,
  GatewayCloseCodes.InvalidAPIVersion,
  GatewayCloseCodes.InvalidIntents,
  GatewayCloseCodes.DisallowedIntents,
]);

/** What the gateway needs from the rest of the fake. */
export interface GatewayHost {
  readonly token: string;
  readonly botUser: APIUser;
  readonly applicationId: string;
  readonly applicationFlags: number;
  readonly privilegedIntents: number;
  readonly heartbeatIntervalMs: number;
  /** `resume_gateway_url` given in READY. */
  readonly resumeUrl: string;
  readonly log: EventLog<GatewayEvent>;
  /** More guilds than this on one shard: IDENTIFY is closed with 4011 "Sharding required" (Discord: 2,500). */
  readonly maxGuildsPerShard: number;
  /** Close connections whose upgrade request has no User-Agent with 4002, as Spacebar's default configuration does. */
  readonly requireUserAgent: boolean;
  /** GUILD_CREATE payloads of the guilds on a shard. */
  guildCreates(shard: readonly [number, number], intents: number): GatewayGuildCreateDispatchData[];
  /** Ids of the guilds on a shard (for READY's unavailable guilds). */
  guildIds(shard: readonly [number, number]): string[];
  /** Members of a guild, for REQUEST_GUILD_MEMBERS. */
  guildMembers(guildId: string): APIGuildMember[];
}

/** What a dispatch builder sees of a session: decide per session (intents) what it gets. */
export interface DispatchTarget {
  readonly sessionId: string;
  readonly intents: number;
  readonly shard: readonly [number, number];
}

interface Dispatched {
  readonly s: number;
  readonly t: string;
  readonly d: unknown;
}

interface Session {
  readonly id: string;
  readonly shard: readonly [number, number];
  readonly intents: number;
  readonly identify: GatewayIdentifyData;
  seq: number;
  readonly buffer: Dispatched[];
  connection: Connection | null;
  valid: boolean;
}

class Connection {
  session: Session | null = null;
  /** The session this connection last carried, kept after a detach for the close bookkeeping. */
  lastSession: Session | null = null;
  /** Identified/resumed and not told to go away: dispatches are sent now. */
  live = false;
  resumed = false;
  serverCloseCode: number | null = null;
  readonly closed: Promise<void>;
  #markClosed!: () => void;
  readonly #deflate: zlib.Deflate | null;
  readonly #pending: Buffer[] = [];

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    readonly url: string,
    compress: boolean,
  ) {
    this.closed = new Promise((resolve) => (this.#markClosed = resolve));
    this.#deflate = compress ? zlib.createDeflate({ chunkSize: 65535 }) : null;
    this.#deflate?.on('data', (chunk: Buffer) => this.#pending.push(chunk));
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(payload: object): void {
    if (!this.open) return;
    const text = JSON.stringify(payload);
    if (!this.#deflate) {
      this.ws.send(text);
      return;
    }
    // zlib-stream: one deflate context per connection, each payload ends with a sync flush (00 00 ff ff).
    this.#deflate.write(text);
    this.#deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      const out = Buffer.concat(this.#pending.splice(0));
      if (this.open && out.length > 0) this.ws.send(out, { binary: true });
    });
  }

  markClosed(): void {
    this.#deflate?.close();
    this.#markClosed();
  }
}

export class Gateway {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #connections = new Set<Connection>();
  readonly #sessions = new Map<string, Session>();
  #nextConnectionId = 1;
  /** Upgrades waiting while connections are held (see `holdConnections`). */
  #held: (() => void)[] | null = null;
  identifyCount = 0;
  resumeCount = 0;
  lastIdentify: GatewayIdentifyData | undefined;

  constructor(private readonly host: GatewayHost) {}

  /** Hands an HTTP upgrade to the gateway (any path: `/` for new sessions, `/resume` from READY). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#held) {
      this.#held.push(() => this.handleUpgrade(request, socket, head));
      return;
    }
    const url = new URL(request.url ?? '/', 'ws://fake');
    const version = url.searchParams.get('v');
    const encoding = url.searchParams.get('encoding') ?? 'json';
    const compress = url.searchParams.get('compress');
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = new Connection(this.#nextConnectionId++, ws, request.url ?? '/', compress === 'zlib-stream');
      this.#connections.add(connection);
      this.#log({ type: 'connect', connectionId: connection.id, url: connection.url, at: Date.now() });
      ws.on('message', (data, isBinary) => this.#onMessage(connection, data, isBinary));
      ws.on('close', (code, reason) => this.#onClose(connection, code, reason.toString()));
      ws.on('error', () => undefined);
      if (version !== null && version !== '10') {
        this.#close(connection, GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version.');
        return;
      }
      if (encoding !== 'json') {
        this.#close(connection, GatewayCloseCodes.DecodeError, 'Only JSON encoding is supported by the fake.');
        return;
      }
      if (compress !== null && compress !== 'zlib-stream') {
        this.#close(connection, GatewayCloseCodes.DecodeError, `Unsupported compression: ${compress}`);
        return;
      }
      if (this.host.requireUserAgent && !request.headers['user-agent']) {
        this.#close(connection, GatewayCloseCodes.DecodeError, 'Missing User-Agent');
        return;
      }
      connection.send({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.host.heartbeatIntervalMs, _trace: ['fake-discord'] }, s: null, t: null });
    });
  }

  /** The live session, if any (the most recently identified/resumed one; of `shard` when given). */
  liveSession(shard?: number): SessionInfo | undefined {
    let found: Connection | undefined;
    for (const connection of this.#connections) {
      if (connection.live && connection.session && (shard === undefined || connection.session.shard[0] === shard)) found = connection;
    }
    return found?.session ? this.#info(found.session, found) : undefined;
  }

  /** Every live session, one per connected shard. */
  liveSessions(): SessionInfo[] {
    return [...this.#connections].flatMap((c) => (c.live && c.session ? [this.#info(c.session, c)] : []));
  }

  /**
   * Keeps new connections waiting (their upgrade unanswered, as during a network outage) until the
   * returned function is called. Open connections are not affected.
   */
  holdConnections(): () => void {
    const held: (() => void)[] = (this.#held ??= []);
    return () => {
      if (this.#held !== held) return;
      this.#held = null;
      for (const upgrade of held) upgrade();
    };
  }

  get connected(): boolean {
    return this.liveSession() !== undefined;
  }

  /**
   * Dispatches an event to every valid session whose shard holds `guildId` (DMs: shard 0).
   * `build` returns the payload for a session, or null to skip it (e.g. a missing intent).
   * Returns the number of sessions it was queued or sent on.
   */
  dispatch(t: GatewayDispatchEvents | string, guildId: string | null, build: (target: DispatchTarget) => unknown): number {
    let count = 0;
    for (const session of this.#sessions.values()) {
      if (!session.valid || !this.#onShard(session.shard, guildId)) continue;
      const d = build({ sessionId: session.id, intents: session.intents, shard: session.shard });
      if (d === null || d === undefined) continue;
      this.#dispatchTo(session, t, d);
      count++;
    }
    if (count === 0) this.#log({ type: 'dropped', t, reason: this.#sessions.size === 0 ? 'no session' : 'no valid session with the intents', at: Date.now() });
    return count;
  }

  /** Closes every open connection (of `shard` when given) with `code` (or terminates the sockets: the client sees 1006). */
  async closeConnections(code: number | 'abnormal', reason = '', shard?: number): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const connection of this.#connections) {
      if (!connection.open) continue;
      if (shard !== undefined && connection.session?.shard[0] !== shard) continue;
      closing.push(connection.closed);
      this.#close(connection, code, reason);
    }
    await Promise.all(closing);
  }

  /** Sends op 7 RECONNECT on live connections; dispatches queue until the client resumes. */
  sendReconnect(): number {
    let count = 0;
    for (const connection of this.#connections) {
      if (!connection.live) continue;
      connection.send({ op: GatewayOpcodes.Reconnect, d: null, s: null, t: null });
      this.#detach(connection);
      this.#log({ type: 'reconnect-sent', connectionId: connection.id, at: Date.now() });
      count++;
    }
    return count;
  }

  /**
   * Sends op 9 INVALID_SESSION on live connections. Resumable: the session stays and dispatches queue
   * until the client resumes. Not resumable: the session ends and later dispatches are dropped until
   * the client identifies again.
   */
  sendInvalidSession(resumable: boolean): number {
    let count = 0;
    for (const connection of this.#connections) {
      if (!connection.live || !connection.session) continue;
      const session = connection.session;
      connection.send({ op: GatewayOpcodes.InvalidSession, d: resumable, s: null, t: null });
      this.#detach(connection);
      if (!resumable) session.valid = false;
      this.#log({ type: 'invalid-session-sent', connectionId: connection.id, resumable, at: Date.now() });
      count++;
    }
    return count;
  }

  async close(): Promise<void> {
    const held = this.#held;
    this.#held = null;
    for (const upgrade of held ?? []) upgrade();
    await this.closeConnections(1001, 'Fake Discord is shutting down');
    this.#wss.close();
  }

  #info(session: Session, connection: Connection): SessionInfo {
    return { sessionId: session.id, connectionId: connection.id, shard: session.shard, intents: session.intents, seq: session.seq, resumed: connection.resumed };
  }

  #log(event: GatewayEvent): void {
    this.host.log.push(event);
  }

  #onShard(shard: readonly [number, number], guildId: string | null): boolean {
    const [id, count] = shard;
    if (guildId === null) return id === 0;
    return Number((BigInt(guildId) >> 22n) % BigInt(count)) === id;
  }

  #dispatchTo(session: Session, t: string, d: unknown): void {
    const s = ++session.seq;
    session.buffer.push({ s, t, d });
    const connection = session.connection;
    const delivered = connection !== null && connection.live;
    if (delivered) connection.send({ op: GatewayOpcodes.Dispatch, t, s, d });
    this.#log({ type: 'dispatch', sessionId: session.id, t, s, delivered, at: Date.now() });
  }

  #detach(connection: Connection): void {
    connection.live = false;
    if (connection.session?.connection === connection) connection.session.connection = null;
    connection.session = null;
  }

  #close(connection: Connection, code: number | 'abnormal', reason: string): void {
    const session = connection.session;
    connection.serverCloseCode = code === 'abnormal' ? 1006 : code;
    this.#detach(connection);
    if (session && code !== 'abnormal' && NON_RESUMABLE_CLOSE_CODES.has(code)) session.valid = false;
    if (code === 'abnormal') connection.ws.terminate();
    else connection.ws.close(code, reason);
  }

  #onClose(connection: Connection, code: number, reason: string): void {
    const session = connection.session ?? connection.lastSession;
    this.#detach(connection);
    this.#connections.delete(connection);
    const by = connection.serverCloseCode === null ? 'client' : 'server';
    // Discord ends the session when the client closes normally (1000/1001); other closes can resume.
    if (session && by === 'client' && (code === 1000 || code === 1001) && (session.connection === null || session.connection === connection)) {
      session.valid = false;
    }
    this.#log({
      type: 'close',
      connectionId: connection.id,
      code: by === 'server' ? (connection.serverCloseCode ?? code) : code,
      reason,
      by,
      sessionKept: session?.valid ?? false,
      at: Date.now(),
    });
    connection.markClosed();
  }

  #onMessage(connection: Connection, data: RawData, isBinary: boolean): void {
    if (connection.serverCloseCode !== null) return;
    let payload: unknown;
    try {
      if (isBinary) throw new Error('binary frames are not accepted');
      payload = JSON.parse(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'));
    } catch {
      this.#close(connection, GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    if (!isRecord(payload) || typeof payload['op'] !== 'number') {
      this.#close(connection, GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    const d = payload['d'];
    switch (payload['op']) {
      case GatewayOpcodes.Heartbeat:
        this.#log({ type: 'heartbeat', connectionId: connection.id, seq: typeof d === 'number' ? d : null, at: Date.now() });
        connection.send({ op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
        return;
      case GatewayOpcodes.Identify:
        this.#identify(connection, d);
        return;
      case GatewayOpcodes.Resume:
        this.#resume(connection, d);
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestGuildMembers: {
        if (!connection.session) {
          this.#close(connection, GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
          return;
        }
        const type =
          payload['op'] === GatewayOpcodes.PresenceUpdate ? 'presence-update' : payload['op'] === GatewayOpcodes.VoiceStateUpdate ? 'voice-state-update' : 'request-guild-members';
        this.#log({ type, connectionId: connection.id, data: d, at: Date.now() });
        if (type === 'request-guild-members') this.#requestGuildMembers(connection.session, d);
        return;
      }
      default:
        this.#close(connection, GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
    }
  }

  #tokenMatches(token: unknown): boolean {
    return typeof token === 'string' && token.replace(/^Bot\s+/i, '') === this.host.token;
  }

  #identify(connection: Connection, d: unknown): void {
    if (connection.session || connection.resumed) {
      this.#close(connection, GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    if (!isRecord(d) || !this.#tokenMatches(d['token'])) {
      this.#close(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const identify = d as unknown as GatewayIdentifyData;
    this.identifyCount++;
    this.lastIdentify = identify;
    this.#log({ type: 'identify', connectionId: connection.id, identify, at: Date.now() });
    const intents = d['intents'];
    if (typeof intents !== 'number' || !Number.isInteger(intents) || intents < 0 || (intents & ~ALL_INTENTS) !== 0) {
      this.#close(connection, GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
      return;
    }
    if ((intents & PRIVILEGED_INTENTS & ~this.host.privilegedIntents) !== 0) {
      this.#close(connection, GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
      return;
    }
    const rawShard = d['shard'];
    let shard: readonly [number, number] = [0, 1];
    if (rawShard !== undefined) {
      if (
        !Array.isArray(rawShard) ||
        rawShard.length !== 2 ||
        !rawShard.every((n) => Number.isInteger(n)) ||
        rawShard[1] < 1 ||
        rawShard[0] < 0 ||
        rawShard[0] >= rawShard[1]
      ) {
        this.#close(connection, GatewayCloseCodes.InvalidShard, 'Invalid shard.');
        return;
      }
      shard = [rawShard[0] as number, rawShard[1] as number];
    }
    if (this.host.guildIds(shard).length > this.host.maxGuildsPerShard) {
      this.#close(connection, GatewayCloseCodes.ShardingRequired, 'Sharding required.');
      return;
    }
    // A new IDENTIFY for a shard replaces the session that shard had.
    for (const old of this.#sessions.values()) {
      if (old.valid && old.shard[0] === shard[0] && old.shard[1] === shard[1]) {
        old.valid = false;
        if (old.connection) this.#detach(old.connection);
      }
    }
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      shard,
      intents,
      identify,
      seq: 0,
      buffer: [],
      connection,
      valid: true,
    };
    this.#sessions.set(session.id, session);
    connection.session = session;
    connection.lastSession = session;
    connection.live = true;
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.host.botUser,
      guilds: this.host.guildIds(shard).map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.host.resumeUrl,
      shard: [shard[0], shard[1]],
      application: { id: this.host.applicationId, flags: this.host.applicationFlags, flags_new: String(this.host.applicationFlags) },
    };
    this.#dispatchTo(session, GatewayDispatchEvents.Ready, { ...ready, _trace: ['fake-discord'], private_channels: [], presences: [], relationships: [], user_settings: {}, guild_join_requests: [], geo_ordered_rtc_regions: [] });
    if ((intents & GatewayIntentBits.Guilds) !== 0) {
      for (const guild of this.host.guildCreates(shard, intents)) this.#dispatchTo(session, GatewayDispatchEvents.GuildCreate, guild);
    }
    this.#log({ type: 'ready', session: this.#info(session, connection), at: Date.now() });
  }

  #resume(connection: Connection, d: unknown): void {
    if (!isRecord(d) || !this.#tokenMatches(d['token'])) {
      this.#close(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const sessionId = typeof d['session_id'] === 'string' ? d['session_id'] : '';
    const seq = typeof d['seq'] === 'number' ? d['seq'] : 0;
    const session = this.#sessions.get(sessionId);
    if (!session || !session.valid) {
      this.#log({ type: 'resume', connectionId: connection.id, sessionId, seq, ok: false, replayed: 0, at: Date.now() });
      connection.send({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return;
    }
    if (session.connection && session.connection !== connection) this.#detach(session.connection);
    if (connection.session && connection.session !== session) this.#detach(connection);
    session.connection = connection;
    connection.session = session;
    connection.lastSession = session;
    connection.resumed = true;
    const missed = session.buffer.filter((event) => event.s > seq);
    for (const event of missed) connection.send({ op: GatewayOpcodes.Dispatch, t: event.t, s: event.s, d: event.d });
    connection.send({ op: GatewayOpcodes.Dispatch, t: GatewayDispatchEvents.Resumed, s: session.seq, d: { _trace: ['fake-discord'] } });
    connection.live = true;
    this.resumeCount++;
    this.#log({ type: 'resume', connectionId: connection.id, sessionId, seq, ok: true, replayed: missed.length, at: Date.now() });
    this.#log({ type: 'resumed', session: this.#info(session, connection), at: Date.now() });
  }

  #requestGuildMembers(session: Session, d: unknown): void {
    if (!isRecord(d) || typeof d['guild_id'] !== 'string') return;
    const guildId = d['guild_id'];
    const all = this.host.guildMembers(guildId);
    const userIds = Array.isArray(d['user_ids']) ? d['user_ids'].map(String) : typeof d['user_ids'] === 'string' ? [d['user_ids']] : null;
    const query = typeof d['query'] === 'string' ? d['query'].toLowerCase() : '';
    const limit = typeof d['limit'] === 'number' && d['limit'] > 0 ? d['limit'] : Infinity;
    const members = (userIds ? all.filter((m) => userIds.includes(m.user.id)) : all.filter((m) => m.user.username.toLowerCase().startsWith(query))).slice(0, limit);
    const notFound = userIds ? userIds.filter((id) => !all.some((m) => m.user.id === id)) : [];
    this.#dispatchTo(session, GatewayDispatchEvents.GuildMembersChunk, {
      guild_id: guildId,
      members,
      chunk_index: 0,
      chunk_count: 1,
      ...(notFound.length > 0 ? { not_found: notFound } : {}),
      ...(d['nonce'] !== undefined ? { nonce: d['nonce'] } : {}),
    });
  }
}
