/**
 * A fake Discord (HTTP API v10 + gateway v10) for tests: an unmodified discord.js `Client` logs in
 * with `new Client({ intents, partials, rest: { api: fake.apiUrl } })` — discord.js fetches the
 * gateway URL from `GET /gateway/bot`, so that one setting points the whole client at the fake.
 *
 * ```ts
 * const fake = await startFakeDiscord();
 * const client = new Client({ intents, partials: [Partials.Channel], rest: { api: fake.apiUrl } });
 * await client.login(fake.token);
 * const alice = fake.createUser('alice');
 * const asked = fake.sendMessage({ author: alice, content: 'what happened?', mentionBot: true });
 * const reply = await fake.nextMessage((m) => m.message_reference?.message_id === asked.id);
 * ```
 *
 * Everything is event-driven: waiters resolve on the event; their `timeoutMs` only guards against a
 * hang and rejects with what was seen. Destroy discord.js clients before `close()` (a client whose
 * gateway disappears keeps trying to reconnect).
 *
 * Guilds: the primary one (`fake.guild`, with #general and #random) and any added with
 * `createGuild`; each guild's events go to shard `(guild_id >> 22) % count`, DMs to shard 0, as on
 * Discord, so a sharded client (`GET /gateway/bot` recommends `recommendedShards`) can be tested.
 * Group DMs (`createGroupDm`) are private channels the bot is not in: it sees them only through
 * interactions with apps the users installed to their account.
 *
 * Deliberate differences from Discord: no channel permission overwrites, a command's
 * `default_member_permissions` not enforced (a server's Integrations settings may let anyone run
 * any command, so bots check again; tests run commands as any member), lengths counted in code
 * points, fractional `Retry-After` allowed on injected 429s (fast tests), and dispatches while no
 * session is valid are dropped (Discord does the same for a new session).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ChannelType,
  type APIApplication,
  type APIApplicationCommand,
  type APIDMChannel,
  type APIEmbed,
  type APIGroupDMChannel,
  type APIGuild,
  type APIMessage,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  type GatewayDispatchEvents,
  type GatewayIdentifyData,
} from 'discord-api-types/v10';
import { Gateway } from './gateway.js';
import {
  AutocompleteHandle,
  InteractionHandle,
  Interactions,
  type AutocompleteOptions,
  type InteractionContext,
  type MessageCommandOptions,
  type SlashCommandOptions,
  type UserCommandOptions,
} from './interactions.js';
import { RestApi, type FaultState } from './rest.js';
import type {
  BotMessage,
  FakeDiscordOptions,
  GatewayEvent,
  MessageEvent,
  RecordedRequest,
  RestFault,
  RestFaultSpec,
  SessionInfo,
  TypingEvent,
} from './types.js';
import { LIMITS, textLength } from './validation.js';
import { EventLog, FakeDiscordClosedError, preview, type WaitOptions } from './waiters.js';
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, World, type GuildState } from './world.js';

export type * from './types.js';
export {
  AutocompleteHandle,
  InteractionExpiredError,
  InteractionHandle,
  UnexpectedCallbackError,
  type AutocompleteOptions,
  type ComponentOptions,
  type InteractionCallbackRecord,
  type InteractionContext,
  type InteractionEvent,
  type InteractionKind,
  type InteractionState,
  type MessageCommandOptions,
  type OptionValue,
  type SlashCommandOptions,
  type UserCommandOptions,
} from './interactions.js';
export { FakeDiscordClosedError, WaitTimeoutError, type WaitOptions } from './waiters.js';
export { PRIVILEGED_INTENTS } from './gateway.js';
export { snowflakeTime } from './snowflake.js';
export { shardOf } from './world.js';

/** A guild added with {@link FakeDiscord.createGuild}. */
export interface FakeGuild {
  readonly id: string;
  readonly name: string;
  /** Its #general channel. */
  readonly general: APITextChannel;
  readonly owner: APIUser;
  /** Whether the bot is a member (false: a server where only users' own installs of the app work). */
  readonly botMember: boolean;
}

/** {@link FakeDiscord.sendMessage} */
export interface SendMessageOptions {
  readonly author: APIUser;
  readonly content: string;
  /** A guild text channel or thread (default #general), or a group DM the author is in. Ignored with `dm`. */
  readonly channelId?: string;
  /** Send in the author's DM with the bot. */
  readonly dm?: boolean;
  /** Prefix the content with `<@botId> ` (a mention; exempts the message from MessageContent blanking). */
  readonly mentionBot?: boolean;
  /** Reply to a message in the same channel (type 19, `message_reference`, `referenced_message`). */
  readonly replyTo?: Pick<APIMessage, 'id'>;
  /** Whether the reply pings the replied-to author (default true, like the Discord client). */
  readonly mentionRepliedUser?: boolean;
  readonly embeds?: readonly APIEmbed[];
}

/** {@link FakeDiscord.createThread} */
export interface CreateThreadOptions {
  /** The user creating the thread (its owner). */
  readonly author: APIUser;
  readonly name: string;
  /** Parent text channel (default #general). */
  readonly channelId?: string;
  /** Start the thread from this message (the thread gets the message's id). */
  readonly fromMessage?: Pick<APIMessage, 'id'>;
  /** A private thread (default public). */
  readonly private?: boolean;
}

/** {@link FakeDiscord.nextMessage} / {@link FakeDiscord.waitForMessage} */
export interface MessageWaitOptions extends WaitOptions {
  /** Also match deferred "thinking…" placeholders (flag LOADING). Default false. */
  readonly includeLoading?: boolean;
}

/** Starts a fake Discord on 127.0.0.1 (a free port). */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscord(options);
  await fake.listen();
  return fake;
}

export class FakeDiscord {
  /** The token the fake accepts. */
  readonly token: string;
  readonly #options: FakeDiscordOptions;
  readonly #server: Server;
  readonly #world: World;
  readonly #gateway: Gateway;
  readonly #interactions: Interactions;
  readonly #faults: FaultState[] = [];
  readonly #requests: EventLog<RecordedRequest>;
  readonly #messageEvents: EventLog<MessageEvent>;
  readonly #typing: EventLog<TypingEvent>;
  readonly #gatewayLog: EventLog<GatewayEvent>;
  #port = 0;
  #closed = false;

  /** Use {@link startFakeDiscord}. */
  constructor(options: FakeDiscordOptions = {}) {
    this.#options = options;
    this.token = options.token ?? `ODk2.fake.${Math.random().toString(36).slice(2)}`;
    const timeout = () => options.defaultTimeoutMs ?? 10_000;
    this.#requests = new EventLog('the request log', (r) => `${r.method} ${r.path} → ${r.status}${r.fault ? ' (injected fault)' : ''}${r.body !== undefined ? ` ${preview(r.body, 100)}` : ''}`, timeout);
    this.#messageEvents = new EventLog('the bot messages', (e) => `${e.kind} ${e.message.id} in ${e.message.channel_id} (${e.message.via}${e.message.ephemeral ? ', ephemeral' : ''}${(e.message.flags ?? 0) & 128 ? ', loading' : ''}): ${preview(e.message.content || e.message.embeds)}`, timeout);
    this.#typing = new EventLog('typing events', (t) => `typing in ${t.channelId}`, timeout);
    this.#gatewayLog = new EventLog('the gateway log', describeGatewayEvent, timeout);
    this.#world = new World(
      {
        botName: options.botName ?? 'ArticleBot',
        guildName: options.guildName ?? 'Fake Guild',
        privilegedIntents: options.privilegedIntents ?? 0,
        botPermissions: options.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
        everyonePermissions: options.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS,
        baseUrl: () => `http://127.0.0.1:${this.#port}`,
      },
      this.#messageEvents,
    );
    const world = this.#world;
    const resumeUrl = () => `ws://127.0.0.1:${this.#port}/resume`;
    this.#gateway = new Gateway({
      token: this.token,
      botUser: world.botUser,
      applicationId: world.application.id,
      applicationFlags: world.application.flags,
      privilegedIntents: options.privilegedIntents ?? 0,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      get resumeUrl() {
        return resumeUrl();
      },
      log: this.#gatewayLog,
      maxGuildsPerShard: options.maxGuildsPerShard ?? Infinity,
      requireUserAgent: options.gatewayRequiresUserAgent ?? false,
      guildCreates: (shard, intents) => world.botGuildIdsOn(shard).map((id) => world.guildCreate(intents, id)),
      guildIds: (shard) => world.botGuildIdsOn(shard),
      guildMembers: (guildId) => {
        const guild = world.guilds.get(guildId);
        return guild ? [...guild.members.keys()].map((id) => world.member(id, guildId)).filter((m) => m !== undefined) : [];
      },
    });
    world.gateway = this.#gateway;
    this.#interactions = new Interactions(world, {
      deadlineMs: options.interactionDeadlineMs ?? 3000,
      tokenLifetimeMs: options.interactionTokenLifetimeMs ?? 15 * 60_000,
      requireRegisteredCommands: options.requireRegisteredCommands ?? true,
      defaultTimeoutMs: timeout,
    });
    const rest = new RestApi({
      world,
      interactions: this.#interactions,
      gateway: this.#gateway,
      token: this.token,
      gatewayUrl: () => this.gatewayUrl,
      recommendedShards: options.recommendedShards ?? 1,
      maxConcurrency: options.maxConcurrency ?? 1,
      requests: this.#requests,
      typing: this.#typing,
      faults: this.#faults,
    });
    this.#server = createServer(rest.listener);
    this.#server.on('upgrade', (req, socket, head) => this.#gateway.handleUpgrade(req, socket, head));
  }

  /** @internal Binds the port; {@link startFakeDiscord} calls it. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  // ── where things are ────────────────────────────────────────────────────────────────

  /** `http://127.0.0.1:PORT/api` — pass as `rest.api` to the discord.js Client. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  /** `ws://127.0.0.1:PORT` — what `GET /gateway/bot` returns. */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  get botUser(): APIUser {
    return structuredClone(this.#world.botUser);
  }

  get application(): APIApplication {
    return structuredClone(this.#world.application);
  }

  /** The guild object (as `GET /guilds/{id}` returns it). */
  get guild(): APIGuild {
    return this.#world.guildObject() as unknown as APIGuild;
  }

  /** The guild owner (a user created at start). */
  get owner(): APIUser {
    return structuredClone(this.#world.owner);
  }

  /** The guild's two text channels. */
  get channels(): { readonly general: APITextChannel; readonly random: APITextChannel } {
    return { general: structuredClone(this.#world.general), random: structuredClone(this.#world.random) };
  }

  /** Threads (created by the bot or by users), current state. */
  get threads(): APIThreadChannel[] {
    return this.#world.threads();
  }

  /** Registered commands: global, and those of the guild. */
  get commands(): { readonly global: APIApplicationCommand[]; readonly guild: APIApplicationCommand[] } {
    return {
      global: structuredClone(this.#world.globalCommands),
      guild: structuredClone(this.#world.guildCommands.get(this.#world.guildId) ?? []),
    };
  }

  /** Every guild: the primary one first, then those added with {@link createGuild}. */
  get guilds(): FakeGuild[] {
    return [...this.#world.guilds.values()].map((g) => this.#fakeGuild(g));
  }

  #fakeGuild(guild: GuildState): FakeGuild {
    const owner = this.#world.users.get(guild.ownerId);
    if (!owner) throw new Error(`guild ${guild.id} has no owner`);
    return { id: guild.id, name: guild.name, general: structuredClone(guild.general), owner: structuredClone(owner), botMember: guild.botMember };
  }

  /**
   * Adds a guild with a #general channel. `shard: [id, count]` gives it an id that Discord's
   * formula puts on that shard. The bot joins it (its session on that shard gets GUILD_CREATE)
   * unless `botMember: false` — a server where users can only run the app they installed to their
   * account.
   */
  createGuild(options: { readonly name?: string; readonly shard?: readonly [number, number]; readonly botMember?: boolean } = {}): FakeGuild {
    this.#assertOpen();
    const guild = this.#world.createGuild({ name: options.name ?? `Guild ${this.#world.guilds.size + 1}`, ...(options.shard ? { shard: options.shard } : {}), ...(options.botMember !== undefined ? { botMember: options.botMember } : {}) });
    return this.#fakeGuild(guild);
  }

  /** Makes `user` a member of a guild (no event). */
  addMember(user: Pick<APIUser, 'id'>, guildId: string): void {
    this.#world.joinGuild(user.id, guildId);
  }

  /**
   * A new role with `permissions` in a guild (default the primary one); members get it with
   * {@link giveRole}. Interactions then carry the member's roles and the permissions they add up to.
   */
  createRole(options: { readonly name: string; readonly permissions?: bigint; readonly guildId?: string }): APIRole {
    this.#assertOpen();
    return this.#world.createRole(options.guildId ?? this.#world.guildId, options.name, options.permissions ?? 0n);
  }

  /** Gives a guild member a role of that guild (default the primary one). */
  giveRole(user: Pick<APIUser, 'id'>, role: Pick<APIRole, 'id'>, guildId: string = this.#world.guildId): void {
    this.#world.giveRole(user.id, role.id, guildId);
  }

  /** A group DM between users, without the bot: a "private channel" for interactions. */
  createGroupDm(recipients: readonly APIUser[], name?: string): APIGroupDMChannel {
    this.#assertOpen();
    return this.#world.createGroupDm(recipients, name ?? null);
  }

  /** The DM channel between the bot and `user` (created if needed, without any event). */
  dmChannel(user: Pick<APIUser, 'id'>): APIDMChannel {
    return structuredClone(this.#world.dmChannel(user.id));
  }

  // ── acting as users ─────────────────────────────────────────────────────────────────

  /** A new user with a snowflake id; a guild member unless `member: false`. */
  createUser(name: string, options: { readonly member?: boolean; readonly bot?: boolean } = {}): APIUser {
    return this.#world.createUser(name, options);
  }

  /**
   * A user posts a message; it is dispatched as MESSAGE_CREATE (to sessions with GuildMessages /
   * DirectMessages, content blanked without MessageContent unless it mentions the bot or is a DM).
   * Returns the full message (never blanked). Throws for what a Discord client would not let a user send.
   */
  sendMessage(options: SendMessageOptions): APIMessage & { guild_id?: string } {
    this.#assertOpen();
    if (options.author.id === this.#world.botUser.id) throw new Error('sendMessage is for users; the bot sends through the API');
    const content = options.mentionBot ? `<@${this.#world.botUser.id}> ${options.content}` : options.content;
    if (textLength(content) > LIMITS.userContent) throw new Error(`A user cannot send more than ${LIMITS.userContent} characters`);
    if (content === '' && !options.embeds?.length) throw new Error('A user cannot send an empty message');
    let channelId: string;
    if (options.dm) {
      channelId = this.#world.dmChannel(options.author.id).id;
    } else {
      channelId = options.channelId ?? this.#world.general.id;
      const channel = this.#world.channel(channelId);
      if (!channel) throw new Error(`Unknown channel ${channelId}`);
      if (channel.type === ChannelType.GroupDM) {
        if (!channel.recipients?.some((u) => u.id === options.author.id)) throw new Error(`${options.author.username} is not in that group DM`);
      } else if (channel.type !== ChannelType.DM && !this.#world.isMemberWhere(channel, options.author.id)) throw new Error(`${options.author.username} is not a guild member`);
      if (channel.type === ChannelType.DM && !channel.recipients?.some((u) => u.id === options.author.id)) throw new Error('Use dm: true to send a DM');
    }
    const stored = this.#world.createUserMessage({
      author: options.author,
      channelId,
      content,
      ...(options.embeds ? { embeds: options.embeds } : {}),
      ...(options.replyTo ? { replyTo: options.replyTo.id } : {}),
      ...(options.mentionRepliedUser !== undefined ? { mentionRepliedUser: options.mentionRepliedUser } : {}),
    });
    return structuredClone(stored.data);
  }

  /** A user creates a thread; THREAD_CREATE is dispatched (Guilds intent). */
  createThread(options: CreateThreadOptions): APIThreadChannel {
    this.#assertOpen();
    const parentId = options.channelId ?? this.#world.general.id;
    const parent = this.#world.channel(parentId);
    if (!parent || parent.type !== ChannelType.GuildText) throw new Error(`Channel ${parentId} cannot hold threads`);
    if (options.fromMessage) {
      const message = this.#world.messages.get(options.fromMessage.id);
      if (!message || message.data.channel_id !== parentId) throw new Error(`Message ${options.fromMessage.id} is not in ${parentId}`);
      if (this.#world.channel(options.fromMessage.id)) throw new Error('A thread has already been created for this message');
    }
    return this.#world.createThread({
      parentId,
      name: options.name,
      ownerId: options.author.id,
      type: options.private ? ChannelType.PrivateThread : ChannelType.PublicThread,
      ...(options.fromMessage ? { starterMessageId: options.fromMessage.id } : {}),
    });
  }

  /** A user runs a slash command (registered by the bot unless `requireRegisteredCommands: false`). */
  slashCommand(options: SlashCommandOptions): InteractionHandle {
    this.#assertOpen();
    return this.#interactions.slashCommand(options);
  }

  /** A user types in an autocomplete option; `handle.choices()` resolves with the bot's suggestions. */
  autocomplete(options: AutocompleteOptions): AutocompleteHandle {
    this.#assertOpen();
    return this.#interactions.autocomplete(options);
  }

  /** A user clicks a button on a bot message (it must be there and enabled in the message's current state). */
  button(options: { readonly user: APIUser; readonly customId: string; readonly message: Pick<APIMessage, 'id'> } & Pick<InteractionContext, 'locale'>): InteractionHandle {
    this.#assertOpen();
    return this.#interactions.component(options);
  }

  /** A user picks values in a select menu on a bot message. */
  select(options: { readonly user: APIUser; readonly customId: string; readonly message: Pick<APIMessage, 'id'>; readonly values: readonly string[] } & Pick<InteractionContext, 'locale'>): InteractionHandle {
    this.#assertOpen();
    return this.#interactions.component(options);
  }

  /** A user runs a message context-menu command on `target`. */
  messageCommand(options: MessageCommandOptions): InteractionHandle {
    this.#assertOpen();
    return this.#interactions.messageCommand(options);
  }

  /** A user runs a user context-menu command on `target`. */
  userCommand(options: UserCommandOptions): InteractionHandle {
    this.#assertOpen();
    return this.#interactions.userCommand(options);
  }

  // ── observing the bot ───────────────────────────────────────────────────────────────

  /** Every message the bot created (channel sends, interaction responses, follow-ups), current state, oldest first. */
  get messages(): BotMessage[] {
    return [...this.#world.messages.values()].filter((m) => m.bot !== null).map((m) => this.#world.botMessage(m));
  }

  /** Creations, edits and deletions of bot messages, with snapshots. */
  get messageEvents(): readonly MessageEvent[] {
    return this.#messageEvents.items;
  }

  /**
   * Resolves with a snapshot of the first bot message created or edited **after this call** that
   * satisfies `predicate` (default: any). Deferred "thinking…" placeholders are skipped unless
   * `includeLoading`.
   */
  nextMessage(predicate: (message: BotMessage) => boolean = () => true, options: MessageWaitOptions = {}): Promise<BotMessage> {
    return this.#messageEvents.wait((e) => this.#matchesMessage(e, predicate, options), { ...options, what: 'a bot message' }, (e) => e.message);
  }

  /** Like {@link nextMessage}, but an already created/edited message counts too (first match in log order). */
  waitForMessage(predicate: (message: BotMessage) => boolean, options: MessageWaitOptions = {}): Promise<BotMessage> {
    return this.#messageEvents.wait((e) => this.#matchesMessage(e, predicate, options), { ...options, includePast: true, what: 'a bot message' }, (e) => e.message);
  }

  #matchesMessage(e: MessageEvent, predicate: (message: BotMessage) => boolean, options: MessageWaitOptions): boolean {
    if (e.kind === 'delete') return false;
    if (!options.includeLoading && ((e.message.flags ?? 0) & 128) !== 0) return false;
    return predicate(e.message);
  }

  /** All non-ephemeral, non-deleted messages of a channel (users' and the bot's), oldest first, never blanked. */
  channelMessages(channelId: string): (APIMessage & { guild_id?: string })[] {
    return this.#world
      .channelMessages(channelId)
      .filter((m) => !m.ephemeral)
      .map((m) => structuredClone(m.data));
  }

  /** Every HTTP request the bot made, in completion order. */
  get requests(): readonly RecordedRequest[] {
    return this.#requests.items;
  }

  /** Resolves with the first request (past or future) satisfying `predicate`. */
  waitFor(predicate: (request: RecordedRequest) => boolean, options: WaitOptions = {}): Promise<RecordedRequest> {
    return this.#requests.wait(predicate, { ...options, includePast: true, what: 'a matching request' });
  }

  /** Resolves with the first request made **after this call** satisfying `predicate`. */
  nextRequest(predicate: (request: RecordedRequest) => boolean = () => true, options: WaitOptions = {}): Promise<RecordedRequest> {
    return this.#requests.wait(predicate, { ...options, what: 'a matching request' });
  }

  /** `POST /channels/{id}/typing` calls. */
  get typing(): readonly TypingEvent[] {
    return this.#typing.items;
  }

  /** Resolves with the first typing event (past or future), optionally in one channel. */
  waitForTyping(channelId?: string, options: WaitOptions = {}): Promise<TypingEvent> {
    return this.#typing.wait((t) => channelId === undefined || t.channelId === channelId, { ...options, includePast: true, what: `typing${channelId ? ` in ${channelId}` : ''}` });
  }

  /**
   * Resolves once the bot registered commands (a successful PUT/POST of global or guild commands,
   * past or future) and `predicate` holds for the registered set.
   */
  async commandsRegistered(
    predicate: (commands: FakeDiscord['commands']) => boolean = () => true,
    options: WaitOptions = {},
  ): Promise<FakeDiscord['commands']> {
    await this.#requests.wait(
      (r) => (r.method === 'PUT' || r.method === 'POST') && /^\/applications\/\d+\/(guilds\/\d+\/)?commands$/.test(r.path) && r.status < 300 && predicate(this.commands),
      { ...options, includePast: true, what: 'command registration' },
    );
    return this.commands;
  }

  // ── gateway ─────────────────────────────────────────────────────────────────────────

  /** IDENTIFY payloads received (including refused ones). */
  get identifyCount(): number {
    return this.#gateway.identifyCount;
  }

  /** Successful RESUMEs. */
  get resumeCount(): number {
    return this.#gateway.resumeCount;
  }

  /** The last IDENTIFY's payload (token, intents, properties, shard…). */
  get lastIdentify(): GatewayIdentifyData | undefined {
    return this.#gateway.lastIdentify;
  }

  /** A session is live: identified or resumed, and not disconnected or told to reconnect. */
  get connected(): boolean {
    return this.#gateway.connected;
  }

  /** The live session, if any (the most recent one when several shards are connected). */
  get session(): SessionInfo | undefined {
    return this.#gateway.liveSession();
  }

  /** Every live session, one per connected shard. */
  get sessions(): SessionInfo[] {
    return this.#gateway.liveSessions();
  }

  get gatewayEvents(): readonly GatewayEvent[] {
    return this.#gatewayLog.items;
  }

  /**
   * Resolves with the live session: at once if there is one, else when the next READY (after
   * GUILD_CREATE) or RESUMED is sent. `resumed: true` waits for a session obtained by RESUME.
   * (The client may still be processing those events: await the client's own events for that.)
   */
  waitForSession(options: WaitOptions & { readonly resumed?: boolean; readonly shard?: number } = {}): Promise<SessionInfo> {
    const live = this.#gateway.liveSession(options.shard);
    if (live && (options.resumed === undefined || live.resumed === options.resumed)) return Promise.resolve(live);
    const onShard = (session: SessionInfo) => options.shard === undefined || session.shard[0] === options.shard;
    return this.#gatewayLog.wait(
      (e) => ((e.type === 'ready' && options.resumed !== true) || (e.type === 'resumed' && options.resumed !== false)) && onShard(e.session),
      { ...options, what: `${options.resumed ? 'a resumed session' : 'a session'}${options.shard === undefined ? '' : ` on shard ${options.shard}`}` },
      (e) => (e as Extract<GatewayEvent, { type: 'ready' | 'resumed' }>).session,
    );
  }

  /** Resolves with the first gateway event satisfying `predicate` (future only unless `includePast`). */
  waitForGatewayEvent(predicate: (event: GatewayEvent) => boolean, options: WaitOptions & { readonly includePast?: boolean } = {}): Promise<GatewayEvent> {
    return this.#gatewayLog.wait(predicate, { ...options, what: 'a gateway event' });
  }

  /**
   * Closes the gateway connections with `code` (default 4000, resumable), or terminates the sockets
   * (`'abnormal'`: the client sees 1006). Resolves when the sockets are closed. Dispatches queue on
   * the session until the client resumes; non-resumable codes (4004, 4007, 4009–4014) end the session.
   */
  closeGateway(code: number | 'abnormal' = 4000, reason = '', options: { readonly shard?: number } = {}): Promise<void> {
    return this.#gateway.closeConnections(code, reason, options.shard);
  }

  /**
   * New gateway connections wait, unanswered, until the returned function is called — as during a
   * network outage: a client that lost its connection cannot get back until then. Open
   * connections carry on.
   */
  holdGatewayConnections(): () => void {
    return this.#gateway.holdConnections();
  }

  /** Sends op 7 RECONNECT; dispatches queue until the client resumes. Returns how many connections got it. */
  sendReconnect(): number {
    return this.#gateway.sendReconnect();
  }

  /**
   * Sends op 9 INVALID_SESSION. Resumable: events queue until the client resumes. Not resumable: the
   * session ends; events dispatched before the client identifies again are dropped (as on Discord).
   * Note discord.js waits ≥5 s before re-identifying within 5 s of the previous IDENTIFY (its identify throttle).
   */
  sendInvalidSession(resumable: boolean): number {
    return this.#gateway.sendInvalidSession(resumable);
  }

  /** Dispatches a raw event to the valid sessions of the guild's shard (no intent filtering). */
  dispatch(t: GatewayDispatchEvents | string, d: unknown, guildId: string | null = this.#world.guildId): number {
    return this.#gateway.dispatch(t, guildId, () => structuredClone(d));
  }

  // ── faults ──────────────────────────────────────────────────────────────────────────

  /**
   * The next `count` requests matching `match` get `status` instead of being served (nothing is
   * created). 429s carry `retry_after`, `Retry-After` and `X-RateLimit-*` headers (bucket headers,
   * or `X-RateLimit-Global`/`X-RateLimit-Scope: global`), so discord.js waits and retries; discord.js
   * retries 5xx immediately, up to 3 times.
   */
  injectRestFaults(spec: RestFaultSpec): RestFault {
    const hitLog = new EventLog<RecordedRequest>('fault hits', (r) => `${r.method} ${r.path}`, () => this.#options.defaultTimeoutMs ?? 10_000);
    const state: FaultState = {
      spec,
      remaining: spec.count,
      hits: [],
      cancelled: false,
      onHit: () => hitLog.push(state.hits[state.hits.length - 1] as RecordedRequest),
    };
    this.#faults.push(state);
    return {
      spec,
      get remaining() {
        return state.cancelled ? 0 : state.remaining;
      },
      get hits() {
        return state.hits;
      },
      exhausted: async (options = {}) => {
        if (state.hits.length >= spec.count) return;
        let seen = state.hits.length;
        await hitLog.wait(() => ++seen >= spec.count, { ...options, what: `${spec.count} fault hit(s)` });
      },
      cancel: () => {
        state.cancelled = true;
      },
    };
  }

  // ── lifecycle ───────────────────────────────────────────────────────────────────────

  /** Closes the gateway (1001), pending waiters (rejected), interaction timers and the HTTP server. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const error = new FakeDiscordClosedError('The fake Discord server was closed.');
    this.#interactions.dispose(error);
    await this.#gateway.close();
    for (const log of [this.#requests, this.#messageEvents, this.#typing, this.#gatewayLog]) (log as EventLog<unknown>).close(error);
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #assertOpen(): void {
    if (this.#closed) throw new FakeDiscordClosedError('The fake Discord server was closed.');
  }
}

function describeGatewayEvent(e: GatewayEvent): string {
  switch (e.type) {
    case 'connect':
      return `#${e.connectionId} connect ${e.url}`;
    case 'identify':
      return `#${e.connectionId} IDENTIFY intents=${e.identify.intents}`;
    case 'ready':
    case 'resumed':
      return `#${e.session.connectionId} ${e.type.toUpperCase()} session ${e.session.sessionId.slice(0, 8)} seq ${e.session.seq}`;
    case 'resume':
      return `#${e.connectionId} RESUME ${e.sessionId.slice(0, 8)} from seq ${e.seq}: ${e.ok ? `ok, replayed ${e.replayed}` : 'invalid session'}`;
    case 'heartbeat':
      return `#${e.connectionId} heartbeat ${e.seq}`;
    case 'close':
      return `#${e.connectionId} closed by ${e.by} with ${e.code}${e.reason ? ` (${e.reason})` : ''}; session ${e.sessionKept ? 'kept' : 'ended'}`;
    case 'dispatch':
      return `${e.t} s=${e.s} ${e.delivered ? 'sent' : 'queued'}`;
    case 'dropped':
      return `${e.t} dropped: ${e.reason}`;
    case 'reconnect-sent':
      return `#${e.connectionId} RECONNECT sent`;
    case 'invalid-session-sent':
      return `#${e.connectionId} INVALID_SESSION(${String(e.resumable)}) sent`;
    default:
      return `#${e.connectionId} ${e.type}`;
  }
}
