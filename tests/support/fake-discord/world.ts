import { randomBytes } from 'node:crypto';
import {
  ApplicationFlags,
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  MessageFlags,
  MessageReferenceType,
  MessageType,
  PermissionFlagsBits,
  ThreadAutoArchiveDuration,
  type APIAllowedMentions,
  type APIApplication,
  type APIApplicationCommand,
  type APIAttachment,
  type APIChannel,
  type APIDMChannel,
  type APIEmbed,
  type APIGroupDMChannel,
  type APIGuildMember,
  type APIMessage,
  type APIMessageTopLevelComponent,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  type ChannelFlags,
  type GatewayGuildCreateDispatchData,
  type GuildMemberFlags,
  type RoleFlags,
  type UserFlags,
} from 'discord-api-types/v10';
import type { DispatchTarget, Gateway } from './gateway.js';
import { SnowflakeGenerator } from './snowflake.js';
import type { BotMessage, MessageEvent, MessageSource, RecordedFile } from './types.js';
import { isRecord } from './validation.js';
import type { EventLog } from './waiters.js';

/**
 * The fake's state — guilds (the primary one, with two text channels, and any added with
 * `createGuild`), users, DM and group DM channels, threads, messages and registered commands — and
 * the Discord-shaped payloads built from it.
 */

export const DEFAULT_EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.ChangeNickname;

export const DEFAULT_BOT_PERMISSIONS =
  DEFAULT_EVERYONE_PERMISSIONS |
  PermissionFlagsBits.ManageMessages |
  PermissionFlagsBits.ManageThreads |
  PermissionFlagsBits.CreatePrivateThreads;

/** A guild member as the fake keeps it (Discord's member object without `user`). */
type StoredMember = Omit<APIGuildMember, 'user'>;

export type AnyMessage = APIMessage & { guild_id?: string };

export interface StoredMessage {
  data: AnyMessage;
  /** Set for messages the bot created. */
  bot: { via: MessageSource; interactionId?: string; allowedMentions?: APIAllowedMentions } | null;
  ephemeral: boolean;
  deleted: boolean;
  version: number;
}

export type StoredChannel = APITextChannel | APIThreadChannel | APIDMChannel | APIGroupDMChannel;

/** One guild. The bot is a member unless `botMember` is false (a server where users run the app they installed to their account). */
export interface GuildState {
  readonly id: string;
  readonly name: string;
  ownerId: string;
  readonly roles: APIRole[];
  readonly botRoleId: string | null;
  readonly members: Map<string, StoredMember>;
  readonly createdAt: number;
  readonly botMember: boolean;
  /** The guild's first text channel (its system channel). */
  general: APITextChannel;
}

/** The shard Discord sends a guild's events to: `(guild_id >> 22) % count`. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

export interface WorldOptions {
  readonly botName: string;
  readonly guildName: string;
  readonly privilegedIntents: number;
  readonly botPermissions: bigint;
  readonly everyonePermissions: bigint;
  readonly baseUrl: () => string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const clone = <T>(value: T): T => structuredClone(value);

function newUser(id: string, name: string, bot = false): APIUser {
  return {
    id,
    username: name.toLowerCase().replace(/[^a-z0-9_.]/g, '_') || 'user',
    discriminator: '0',
    global_name: name,
    avatar: null,
    ...(bot ? { bot: true } : {}),
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    banner: null,
    accent_color: null,
  };
}

export class World {
  readonly ids = new SnowflakeGenerator();
  readonly botUser: APIUser;
  readonly owner: APIUser;
  readonly application: APIApplication;
  /** Every guild by id, the primary one first. */
  readonly guilds = new Map<string, GuildState>();
  /** The primary guild (created at start); `roles`, `members`, `general`, `random` are its. */
  readonly guildId: string;
  readonly roles: APIRole[];
  readonly botRoleId: string;
  readonly users = new Map<string, APIUser>();
  readonly members: Map<string, StoredMember>;
  readonly channels = new Map<string, StoredChannel>();
  /** User id → DM channel id. */
  readonly dms = new Map<string, string>();
  readonly messages = new Map<string, StoredMessage>();
  readonly globalCommands: APIApplicationCommand[] = [];
  readonly guildCommands = new Map<string, APIApplicationCommand[]>();
  /** Files the bot uploaded, served at `/attachments/{id}/{filename}`. */
  readonly attachmentFiles = new Map<string, RecordedFile>();
  readonly general: APITextChannel;
  readonly random: APITextChannel;
  readonly guildCreatedAt: number;
  gateway: Gateway | undefined;

  constructor(
    private readonly options: WorldOptions,
    private readonly messageLog: EventLog<MessageEvent>,
  ) {
    this.botUser = { ...newUser(this.ids.next(), options.botName, true), verified: true, mfa_enabled: false };
    this.users.set(this.botUser.id, this.botUser);
    const primary = this.#newGuild(this.ids.next(), options.guildName, true);
    this.guildId = primary.id;
    this.roles = primary.roles;
    this.botRoleId = primary.botRoleId ?? '';
    this.members = primary.members;
    this.guildCreatedAt = primary.createdAt;
    this.general = primary.general;
    this.owner = this.createUser('Owner');
    primary.ownerId = this.owner.id;
    const flags =
      ApplicationFlags.ApplicationCommandBadge |
      (options.privilegedIntents & GatewayIntentBits.MessageContent ? ApplicationFlags.GatewayMessageContentLimited : 0) |
      (options.privilegedIntents & GatewayIntentBits.GuildMembers ? ApplicationFlags.GatewayGuildMembersLimited : 0) |
      (options.privilegedIntents & GatewayIntentBits.GuildPresences ? ApplicationFlags.GatewayPresenceLimited : 0);
    this.application = {
      id: this.botUser.id,
      name: options.botName,
      icon: null,
      description: '',
      bot_public: true,
      bot_require_code_grant: false,
      bot: this.botUser,
      owner: this.owner,
      summary: '',
      verify_key: randomBytes(32).toString('hex'),
      team: null,
      flags,
      flags_new: String(flags),
      approximate_guild_count: 1,
      interactions_endpoint_url: null,
      redirect_uris: [],
      integration_types_config: { 0: {} },
    };
    this.random = this.#textChannel('random', 1, primary.id);
  }

  get guildName(): string {
    return this.options.guildName;
  }

  // ── guilds ────────────────────────────────────────────────────────────────────────

  #role(id: string, name: string, permissions: bigint, position: number, managed = false): APIRole {
    return {
      id,
      name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position,
      permissions: permissions.toString(),
      managed,
      mentionable: false,
      flags: 0 as RoleFlags,
      ...(managed ? { tags: { bot_id: this.botUser.id } } : {}),
    };
  }

  #newGuild(id: string, name: string, botMember: boolean): GuildState {
    const botRoleId = botMember ? this.ids.next() : null;
    const roles = [this.#role(id, '@everyone', this.options.everyonePermissions, 0)];
    if (botRoleId) roles.push(this.#role(botRoleId, this.options.botName, this.options.botPermissions, 1, true));
    const members = new Map<string, StoredMember>();
    if (botRoleId) members.set(this.botUser.id, this.#member([botRoleId]));
    const partial = { id, name, ownerId: '', roles, botRoleId, members, createdAt: Date.now(), botMember };
    this.guilds.set(id, partial as GuildState);
    const guild = Object.assign(partial, { general: this.#textChannel('general', 0, id) });
    return guild;
  }

  /**
   * Adds a guild with a #general channel and an owner. `shard` picks an id that Discord's formula
   * (`(guild_id >> 22) % count`) puts on that shard. When the bot is a member, its sessions on
   * that shard get GUILD_CREATE (the bot joined a server).
   */
  createGuild(options: { readonly name: string; readonly shard?: readonly [number, number]; readonly botMember?: boolean }): GuildState {
    const shard = options.shard;
    const id = shard ? this.ids.nextWhere((ms) => ms % shard[1] === shard[0]) : this.ids.next();
    const guild = this.#newGuild(id, options.name, options.botMember ?? true);
    const owner = this.createUser(`${options.name} Owner`, { member: false });
    this.joinGuild(owner.id, id);
    guild.ownerId = owner.id;
    if (guild.botMember) {
      this.gateway?.dispatch(GatewayDispatchEvents.GuildCreate, id, (target) => (target.intents & GatewayIntentBits.Guilds ? this.guildCreate(target.intents, id) : null));
    }
    return guild;
  }

  /** @throws Error for an unknown guild id. */
  guild(guildId: string): GuildState {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`Unknown guild ${guildId}`);
    return guild;
  }

  /** Guilds the bot is in whose events go to `shard` (Discord's `(guild_id >> 22) % count`). */
  botGuildIdsOn(shard: readonly [number, number]): string[] {
    return [...this.guilds.values()].filter((g) => g.botMember && shardOf(g.id, shard[1]) === shard[0]).map((g) => g.id);
  }

  /** Makes `userId` a member of `guildId` (no event: the bot does not ask for member events). */
  joinGuild(userId: string, guildId: string): void {
    const guild = this.guild(guildId);
    if (!guild.members.has(userId)) guild.members.set(userId, this.#member([]));
  }

  /**
   * Adds a role to a guild (GUILD_ROLE_CREATE to sessions with the Guilds intent, as on Discord,
   * so a client's role cache knows it). It sits above the existing roles.
   */
  createRole(guildId: string, name: string, permissions: bigint): APIRole {
    const guild = this.guild(guildId);
    const role = this.#role(this.ids.next(), name, permissions, guild.roles.length);
    guild.roles.push(role);
    this.gateway?.dispatch(GatewayDispatchEvents.GuildRoleCreate, guildId, (target) => (target.intents & GatewayIntentBits.Guilds ? { guild_id: guildId, role: clone(role) } : null));
    return clone(role);
  }

  /** Gives a member a role of the guild (no event: the bot does not ask for member events). */
  giveRole(userId: string, roleId: string, guildId: string): void {
    const guild = this.guild(guildId);
    const member = guild.members.get(userId);
    if (!member) throw new Error(`${userId} is not a member of guild ${guildId}`);
    if (!guild.roles.some((r) => r.id === roleId)) throw new Error(`Guild ${guildId} has no role ${roleId}`);
    if (!member.roles.includes(roleId)) member.roles.push(roleId);
  }

  /** Whether `userId` is a member of the guild `channel` belongs to (always false for DMs). */
  isMemberWhere(channel: StoredChannel, userId: string): boolean {
    const guildId = this.guildOf(channel);
    return guildId !== null && (this.guilds.get(guildId)?.members.has(userId) ?? false);
  }

  // ── users & members ────────────────────────────────────────────────────────────────

  #member(roles: string[]): StoredMember {
    return {
      nick: null,
      avatar: null,
      banner: null,
      roles,
      joined_at: iso(Date.now()),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    };
  }

  /** A new user; a guild member unless `member: false`. */
  createUser(name: string, options: { readonly bot?: boolean; readonly member?: boolean } = {}): APIUser {
    const user = newUser(this.ids.next(), name, options.bot ?? false);
    this.users.set(user.id, user);
    if (options.member !== false) this.members.set(user.id, this.#member([]));
    return clone(user);
  }

  member(userId: string, guildId: string = this.guildId): APIGuildMember | undefined {
    const member = this.guilds.get(guildId)?.members.get(userId);
    const user = this.users.get(userId);
    return member && user ? { ...clone(member), user: clone(user) } : undefined;
  }

  /** Permissions from @everyone and the member's roles (no channel overwrites; Administrator → all). */
  permissionsOf(userId: string, guildId: string = this.guildId): bigint {
    const guild = this.guilds.get(guildId);
    const member = guild?.members.get(userId);
    let bits = 0n;
    for (const role of guild?.roles ?? []) {
      if (role.id === guildId || member?.roles.includes(role.id)) bits |= BigInt(role.permissions);
    }
    if (bits & PermissionFlagsBits.Administrator) return Object.values(PermissionFlagsBits).reduce((a, b) => a | b, 0n);
    return bits;
  }

  botCan(permission: bigint, guildId: string = this.guildId): boolean {
    return (this.permissionsOf(this.botUser.id, guildId) & permission) === permission;
  }

  // ── channels ──────────────────────────────────────────────────────────────────────

  #textChannel(name: string, position: number, guildId: string): APITextChannel {
    const channel: APITextChannel = {
      id: this.ids.next(),
      type: ChannelType.GuildText,
      guild_id: guildId,
      name,
      position,
      permission_overwrites: [],
      parent_id: null,
      topic: null,
      nsfw: false,
      last_message_id: null,
      last_pin_timestamp: null,
      rate_limit_per_user: 0,
      default_auto_archive_duration: ThreadAutoArchiveDuration.OneDay,
      default_thread_rate_limit_per_user: 0,
      flags: 0 as ChannelFlags,
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  channel(id: string): StoredChannel | undefined {
    return this.channels.get(id);
  }

  isThread(channel: StoredChannel): channel is APIThreadChannel {
    return channel.type === ChannelType.PublicThread || channel.type === ChannelType.PrivateThread || channel.type === ChannelType.AnnouncementThread;
  }

  guildOf(channel: StoredChannel): string | null {
    if (channel.type === ChannelType.DM || channel.type === ChannelType.GroupDM) return null;
    return channel.guild_id ?? this.guildId;
  }

  /**
   * A group DM between users, without the bot (a "private channel"): only apps the users installed
   * to their account can be used there, and the bot receives none of its messages.
   */
  createGroupDm(recipients: readonly APIUser[], name: string | null = null): APIGroupDMChannel {
    if (recipients.length < 2) throw new Error('A group DM needs at least two users');
    const channel: APIGroupDMChannel = {
      id: this.ids.next(),
      type: ChannelType.GroupDM,
      name,
      icon: null,
      owner_id: recipients[0]!.id,
      last_message_id: null,
      recipients: recipients.map(clone),
      flags: 0 as ChannelFlags,
    };
    this.channels.set(channel.id, channel);
    return clone(channel);
  }

  /** The DM channel between the bot and a user, created on first use (no CHANNEL_CREATE: Discord sends none for DMs). */
  dmChannel(userId: string): APIDMChannel {
    const existing = this.dms.get(userId);
    if (existing) return this.channels.get(existing) as APIDMChannel;
    const user = this.users.get(userId);
    if (!user) throw new Error(`Unknown user ${userId}`);
    const channel: APIDMChannel = {
      id: this.ids.next(),
      type: ChannelType.DM,
      name: null,
      last_message_id: null,
      recipients: [clone(user)],
      flags: 0 as ChannelFlags,
    };
    this.channels.set(channel.id, channel);
    this.dms.set(userId, channel.id);
    return channel;
  }

  /** Creates a thread (from a message when `starterMessageId` is given: the thread takes the message's id). */
  createThread(options: {
    readonly parentId: string;
    readonly name: string;
    readonly ownerId: string;
    readonly type: ChannelType.PublicThread | ChannelType.PrivateThread;
    readonly autoArchiveDuration?: ThreadAutoArchiveDuration;
    readonly starterMessageId?: string;
    readonly invitable?: boolean;
  }): APIThreadChannel {
    const now = Date.now();
    const id = options.starterMessageId ?? this.ids.next();
    const parent = this.channels.get(options.parentId);
    const guildId = (parent && this.guildOf(parent)) ?? this.guildId;
    const thread: APIThreadChannel = {
      id,
      type: options.type,
      guild_id: guildId,
      parent_id: options.parentId,
      owner_id: options.ownerId,
      name: options.name,
      last_message_id: null,
      rate_limit_per_user: 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      flags: 0 as ChannelFlags,
      thread_metadata: {
        archived: false,
        auto_archive_duration: options.autoArchiveDuration ?? ThreadAutoArchiveDuration.OneDay,
        archive_timestamp: iso(now),
        locked: false,
        create_timestamp: iso(now),
        ...(options.type === ChannelType.PrivateThread ? { invitable: options.invitable ?? true } : {}),
      },
    };
    this.channels.set(id, thread);
    if (options.starterMessageId) {
      const starter = this.messages.get(options.starterMessageId);
      if (starter) starter.data.thread = clone(thread);
    }
    const botIsMember = options.ownerId === this.botUser.id;
    const member = { id, user_id: this.botUser.id, join_timestamp: iso(now), flags: 0 };
    this.gateway?.dispatch(GatewayDispatchEvents.ThreadCreate, guildId, (target) =>
      target.intents & GatewayIntentBits.Guilds ? { ...clone(thread), newly_created: true, ...(botIsMember ? { member } : {}) } : null,
    );
    return botIsMember ? { ...clone(thread), member } : clone(thread);
  }

  threads(): APIThreadChannel[] {
    return [...this.channels.values()].filter((c): c is APIThreadChannel => this.isThread(c)).map(clone);
  }

  // ── guild payloads ────────────────────────────────────────────────────────────────

  guildCreate(intents: number, guildId: string = this.guildId): GatewayGuildCreateDispatchData {
    const guild = this.guild(guildId);
    const memberIds = intents & GatewayIntentBits.GuildMembers ? [...guild.members.keys()] : [this.botUser.id];
    const channels = [...this.channels.values()].filter((c): c is APITextChannel => c.type === ChannelType.GuildText && c.guild_id === guildId);
    const threads = this.threads().filter((t) => !t.thread_metadata?.archived && t.guild_id === guildId);
    return {
      id: guildId,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: GuildVerificationLevel.None,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.Disabled,
      roles: clone(guild.roles),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: GuildMFALevel.None,
      application_id: null,
      system_channel_id: guild.general.id,
      system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies,
      rules_channel_id: null,
      max_members: 500000,
      vanity_url_code: null,
      premium_tier: GuildPremiumTier.None,
      premium_subscription_count: 0,
      preferred_locale: Locale.EnglishUS,
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: GuildNSFWLevel.Default,
      premium_progress_bar_enabled: false,
      hub_type: null,
      safety_alerts_channel_id: null,
      incidents_data: null,
      joined_at: iso(guild.createdAt),
      large: false,
      unavailable: false,
      member_count: guild.members.size,
      voice_states: [],
      members: memberIds.map((id) => this.member(id, guildId)).filter((m): m is APIGuildMember => m !== undefined),
      // Like Discord, channels in GUILD_CREATE carry no guild_id.
      channels: channels.map(({ guild_id: _guildId, ...c }) => clone(c)),
      threads: threads.map(({ guild_id: _guildId, ...t }) => t),
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  /** The guild object of `GET /guilds/{id}`. */
  guildObject(guildId: string = this.guildId): Record<string, unknown> {
    const { joined_at: _j, large: _l, unavailable: _u, member_count: _m, voice_states: _v, members: _ms, channels: _c, threads: _t, presences: _p, stage_instances: _s, guild_scheduled_events: _g, soundboard_sounds: _sb, ...guild } =
      this.guildCreate(0, guildId);
    return { ...guild, approximate_member_count: this.guild(guildId).members.size, approximate_presence_count: 0 };
  }

  // ── messages ──────────────────────────────────────────────────────────────────────

  channelMessages(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.data.channel_id === channelId && !m.deleted);
  }

  /** Users mentioned in `content` (`<@id>` / `<@!id>`), known users only. */
  parseUserMentions(content: string): APIUser[] {
    const seen = new Set<string>();
    const users: APIUser[] = [];
    for (const match of content.matchAll(/<@!?(\d{15,21})>/g)) {
      const id = match[1] ?? '';
      const user = this.users.get(id);
      if (user && !seen.has(id)) {
        seen.add(id);
        users.push(clone(user));
      }
    }
    return users;
  }

  #mentionData(
    content: string,
    referenced: StoredMessage | undefined,
    allowed: APIAllowedMentions | undefined,
  ): Pick<APIMessage, 'mentions' | 'mention_roles' | 'mention_everyone'> {
    const parse = allowed?.parse;
    const userAllowed = (id: string) => allowed === undefined || (parse?.includes('users' as never) ?? false) || (allowed.users?.includes(id) ?? false);
    const roleAllowed = (id: string) => allowed === undefined || (parse?.includes('roles' as never) ?? false) || (allowed.roles?.includes(id) ?? false);
    const mentions = this.parseUserMentions(content).filter((u) => userAllowed(u.id));
    const repliedUser = referenced?.data.author;
    // The replied-to author is mentioned by default, or with allowed_mentions.replied_user.
    if (repliedUser && (allowed === undefined || allowed.replied_user === true) && !mentions.some((u) => u.id === repliedUser.id)) {
      mentions.push(clone(repliedUser));
    }
    const isRole = (id: string) => [...this.guilds.values()].some((g) => g.roles.some((r) => r.id === id));
    const roleIds = [...content.matchAll(/<@&(\d{15,21})>/g)].map((m) => m[1] ?? '').filter((id) => isRole(id) && roleAllowed(id));
    const everyone = /@(everyone|here)\b/.test(content) && (allowed === undefined || (parse?.includes('everyone' as never) ?? false));
    return { mentions, mention_roles: [...new Set(roleIds)], mention_everyone: everyone };
  }

  /** Creates a message by a (non-bot) user and dispatches MESSAGE_CREATE. */
  createUserMessage(options: {
    readonly author: APIUser;
    readonly channelId: string;
    readonly content: string;
    readonly embeds?: readonly APIEmbed[];
    readonly replyTo?: string;
    readonly mentionRepliedUser?: boolean;
  }): StoredMessage {
    const channel = this.channels.get(options.channelId);
    if (!channel) throw new Error(`Unknown channel ${options.channelId}`);
    const referenced = options.replyTo ? this.messages.get(options.replyTo) : undefined;
    if (options.replyTo && (!referenced || referenced.data.channel_id !== options.channelId)) {
      throw new Error(`replyTo: message ${options.replyTo} is not in channel ${options.channelId}`);
    }
    const allowed: APIAllowedMentions | undefined = referenced && options.mentionRepliedUser === false ? { parse: ['users' as never, 'roles' as never, 'everyone' as never], replied_user: false } : undefined;
    return this.#insert(channel, {
      author: clone(options.author),
      content: options.content,
      embeds: options.embeds ? clone([...options.embeds]) : [],
      components: [],
      attachments: [],
      type: referenced ? MessageType.Reply : MessageType.Default,
      flags: 0 as MessageFlags,
      ...this.#mentionData(options.content, referenced, allowed),
      ...(referenced ? this.#reference(referenced) : {}),
    }, null, false);
  }

  #reference(referenced: StoredMessage): Pick<APIMessage, 'message_reference' | 'referenced_message'> {
    return {
      message_reference: {
        type: MessageReferenceType.Default,
        message_id: referenced.data.id,
        channel_id: referenced.data.channel_id,
        ...(referenced.data.guild_id ? { guild_id: referenced.data.guild_id } : {}),
      },
      referenced_message: clone(referenced.data),
    };
  }

  /**
   * Creates a message authored by the bot from a validated create body and dispatches it (unless
   * ephemeral). `extra` adds interaction fields (`interaction_metadata`, `webhook_id`, type …).
   */
  createBotMessage(
    channel: StoredChannel,
    body: Record<string, unknown>,
    meta: { readonly via: MessageSource; readonly interactionId?: string; readonly ephemeral?: boolean; readonly files?: readonly RecordedFile[] },
    extra: Partial<APIMessage> = {},
  ): StoredMessage {
    const content = typeof body['content'] === 'string' ? body['content'] : '';
    const allowed = isRecord(body['allowed_mentions']) ? (body['allowed_mentions'] as APIAllowedMentions) : undefined;
    const reference = isRecord(body['message_reference']) ? body['message_reference'] : undefined;
    const referenced = typeof reference?.['message_id'] === 'string' ? this.messages.get(reference['message_id']) : undefined;
    const flags = (typeof body['flags'] === 'number' ? body['flags'] : 0) | (meta.ephemeral ? MessageFlags.Ephemeral : 0);
    return this.#insert(
      channel,
      {
        author: clone(this.botUser),
        content,
        embeds: Array.isArray(body['embeds']) ? clone(body['embeds'] as APIEmbed[]) : [],
        components: Array.isArray(body['components']) ? clone(body['components'] as APIMessageTopLevelComponent[]) : [],
        attachments: this.#attachments(body, meta.files ?? [], []),
        type: referenced ? MessageType.Reply : MessageType.Default,
        flags,
        tts: body['tts'] === true,
        ...(typeof body['nonce'] === 'string' || typeof body['nonce'] === 'number' ? { nonce: body['nonce'] } : {}),
        ...this.#mentionData(content, referenced, allowed),
        ...(referenced ? this.#reference(referenced) : {}),
        ...extra,
      },
      { via: meta.via, ...(meta.interactionId ? { interactionId: meta.interactionId } : {}), ...(allowed ? { allowedMentions: clone(allowed) } : {}) },
      meta.ephemeral ?? false,
    );
  }

  #attachments(body: Record<string, unknown>, files: readonly RecordedFile[], existing: readonly APIAttachment[]): APIAttachment[] {
    const listed = Array.isArray(body['attachments']) ? body['attachments'].filter(isRecord) : undefined;
    const kept = listed ? existing.filter((a) => listed.some((l) => String(l['id']) === a.id)) : [...existing];
    const added = files.map((file, index): APIAttachment => {
      const descriptor = listed?.find((l) => String(l['id']) === String(index) || l['filename'] === file.filename);
      const id = this.ids.next();
      this.attachmentFiles.set(id, file);
      const url = `${this.options.baseUrl()}/attachments/${id}/${encodeURIComponent(file.filename)}`;
      return {
        id,
        filename: typeof descriptor?.['filename'] === 'string' ? descriptor['filename'] : file.filename,
        ...(typeof descriptor?.['description'] === 'string' ? { description: descriptor['description'] } : {}),
        content_type: file.contentType,
        size: file.size,
        url,
        proxy_url: url,
      };
    });
    return [...kept, ...added];
  }

  #insert(channel: StoredChannel, fields: Partial<APIMessage> & Pick<APIMessage, 'author' | 'content'>, bot: StoredMessage['bot'], ephemeral: boolean): StoredMessage {
    const now = Date.now();
    const id = this.ids.next(now);
    const guildId = this.guildOf(channel);
    const data: AnyMessage = {
      id,
      channel_id: channel.id,
      ...(guildId ? { guild_id: guildId } : {}),
      timestamp: iso(now),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: MessageType.Default,
      flags: 0 as MessageFlags,
      ...fields,
    };
    const stored: StoredMessage = { data, bot, ephemeral, deleted: false, version: 0 };
    this.messages.set(id, stored);
    if (!ephemeral) {
      channel.last_message_id = id;
      if (this.isThread(channel)) {
        channel.message_count = (channel.message_count ?? 0) + 1;
        channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
      }
      this.#dispatchMessage(GatewayDispatchEvents.MessageCreate, stored, channel);
    }
    if (bot) this.messageLog.push({ kind: 'create', message: this.botMessage(stored), at: now });
    return stored;
  }

  /** Applies an edit body (validated) to a message; dispatches MESSAGE_UPDATE unless ephemeral. */
  editMessage(stored: StoredMessage, body: Record<string, unknown>, files: readonly RecordedFile[] = [], extra: Partial<APIMessage> = {}): StoredMessage {
    const data = stored.data;
    if (typeof body['content'] === 'string' || body['content'] === null) data.content = (body['content'] as string | null) ?? '';
    if (Array.isArray(body['embeds']) || body['embeds'] === null) data.embeds = clone((body['embeds'] as APIEmbed[] | null) ?? []);
    if (Array.isArray(body['components']) || body['components'] === null) data.components = clone((body['components'] as APIMessageTopLevelComponent[] | null) ?? []);
    if ('attachments' in body || files.length > 0) data.attachments = this.#attachments(body, files, data.attachments);
    if (typeof body['flags'] === 'number') {
      // Only SUPPRESS_EMBEDS can be toggled by an edit; EPHEMERAL/LOADING/etc. stay as they are.
      data.flags = ((data.flags ?? 0) & ~MessageFlags.SuppressEmbeds) | (body['flags'] & MessageFlags.SuppressEmbeds);
    }
    if (isRecord(body['allowed_mentions']) && stored.bot) stored.bot.allowedMentions = clone(body['allowed_mentions'] as APIAllowedMentions);
    Object.assign(data, extra);
    const referenced = data.message_reference?.message_id ? this.messages.get(data.message_reference.message_id) : undefined;
    Object.assign(data, this.#mentionData(data.content, referenced, stored.bot?.allowedMentions));
    data.edited_timestamp = iso(Date.now());
    stored.version++;
    const channel = this.channels.get(data.channel_id);
    if (!stored.ephemeral && channel) this.#dispatchMessage(GatewayDispatchEvents.MessageUpdate, stored, channel);
    if (stored.bot) this.messageLog.push({ kind: 'update', message: this.botMessage(stored), at: Date.now() });
    return stored;
  }

  deleteMessage(stored: StoredMessage): void {
    if (stored.deleted) return;
    stored.deleted = true;
    const channel = this.channels.get(stored.data.channel_id);
    if (!stored.ephemeral && channel && this.#botSees(channel)) {
      const guildId = this.guildOf(channel);
      const intent = guildId ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages;
      this.gateway?.dispatch(GatewayDispatchEvents.MessageDelete, guildId, (target) =>
        target.intents & intent ? { id: stored.data.id, channel_id: stored.data.channel_id, ...(guildId ? { guild_id: guildId } : {}) } : null,
      );
    }
    if (stored.bot) this.messageLog.push({ kind: 'delete', message: this.botMessage(stored), at: Date.now() });
  }

  /** A snapshot of a bot message for tests. */
  botMessage(stored: StoredMessage): BotMessage {
    const bot = stored.bot ?? { via: 'channel' as const };
    return {
      ...clone(stored.data),
      via: bot.via,
      ...(bot.interactionId ? { interaction_id: bot.interactionId } : {}),
      ...(bot.allowedMentions ? { allowed_mentions: clone(bot.allowedMentions) } : {}),
      ephemeral: stored.ephemeral,
      deleted: stored.deleted,
      version: stored.version,
    };
  }

  /** The message as Discord returns it over REST (`privilegedIntents` decides MessageContent blanking). */
  restMessage(stored: StoredMessage): AnyMessage {
    const data = clone(stored.data);
    const dm = this.channels.get(data.channel_id)?.type === ChannelType.DM;
    if (!(this.options.privilegedIntents & GatewayIntentBits.MessageContent)) this.#blankUnlessExempt(data, dm);
    return data;
  }

  #exempt(data: APIMessage, dm: boolean): boolean {
    return dm || data.author.id === this.botUser.id || data.mentions.some((u) => u.id === this.botUser.id);
  }

  #blankUnlessExempt(data: APIMessage, dm: boolean): void {
    if (!this.#exempt(data, dm)) {
      data.content = '';
      data.embeds = [];
      data.attachments = [];
      data.components = [];
      delete data.poll;
    }
    if (data.referenced_message) this.#blankUnlessExempt(data.referenced_message, dm);
  }

  /** MESSAGE_CREATE/UPDATE as a session sees it: intent filtering, `member`, `channel_type`, content blanking. */
  messageForSession(stored: StoredMessage, channel: StoredChannel, target: DispatchTarget): Record<string, unknown> | null {
    const guildId = this.guildOf(channel);
    const intent = guildId ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages;
    if (!(target.intents & intent)) return null;
    const data = clone(stored.data);
    if (!(target.intents & GatewayIntentBits.MessageContent)) this.#blankUnlessExempt(data, guildId === null);
    const members = guildId ? this.guilds.get(guildId)?.members : undefined;
    const withMember = (user: APIUser) => {
      const member = members?.get(user.id);
      return member ? { ...user, member: clone(member) } : user;
    };
    const authorMember = !data.webhook_id ? members?.get(data.author.id) : undefined;
    return {
      ...data,
      channel_type: channel.type,
      mentions: data.mentions.map(withMember),
      ...(authorMember ? { member: clone(authorMember) } : {}),
    };
  }

  #dispatchMessage(t: GatewayDispatchEvents.MessageCreate | GatewayDispatchEvents.MessageUpdate, stored: StoredMessage, channel: StoredChannel): void {
    // The bot is in no group DM and in no guild it was not added to: it receives nothing from there.
    if (!this.#botSees(channel)) return;
    this.gateway?.dispatch(t, this.guildOf(channel), (target) => this.messageForSession(stored, channel, target));
  }

  /** Whether the bot receives the channel's events: its DMs, and guilds it is a member of. */
  #botSees(channel: StoredChannel): boolean {
    if (channel.type === ChannelType.GroupDM) return false;
    const guildId = this.guildOf(channel);
    return guildId === null || (this.guilds.get(guildId)?.botMember ?? false);
  }

  /** Whether the bot can reach the channel over REST (not a group DM, not a guild it is not in). */
  botCanAccess(channel: StoredChannel): boolean {
    return this.#botSees(channel);
  }

  /** A channel object as REST returns it. */
  channelObject(channel: StoredChannel): APIChannel {
    return clone(channel);
  }
}
