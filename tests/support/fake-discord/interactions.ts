import { randomBytes } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  ComponentType,
  GatewayDispatchEvents,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
  MessageType,
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIApplicationCommandOptionChoice,
  type APIInteraction,
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  type APIUser,
} from 'discord-api-types/v10';
import { Errors, FormErrorCollector, HttpError } from './errors.js';
import type { BotMessage, RecordedFile } from './types.js';
import { isEmptyMessage, isRecord, validateAutocompleteData, wouldBeEmptyAfterEdit, validateMessageFields, validateModalData } from './validation.js';
import { EventLog, preview, type WaitOptions } from './waiters.js';
import type { StoredChannel, StoredMessage, World } from './world.js';

/**
 * Interactions: building INTERACTION_CREATE payloads like Discord's, the callback endpoint (deadline,
 * single acknowledgement), and the interaction webhook (`@original`, follow-ups, 15-minute token).
 */

export type InteractionKind = 'slash' | 'autocomplete' | 'button' | 'select' | 'message-command' | 'user-command';

/** The bot's answer to `POST /interactions/{id}/{token}/callback`. */
export interface InteractionCallbackRecord {
  readonly type: InteractionResponseType;
  /** The callback's `data` as sent (message fields, choices, modal). */
  readonly data: unknown;
  readonly at: number;
  /** ms from the interaction's dispatch to the callback. */
  readonly latencyMs: number;
  readonly withResponse: boolean;
}

/** Everything that happened to an interaction, in order. */
export type InteractionEvent =
  | { readonly kind: 'callback'; readonly callback: InteractionCallbackRecord; readonly message: BotMessage | null; readonly at: number }
  /** `@original` changed: an edit, an UPDATE_MESSAGE's later edits, or a follow-up replacing the "thinking…" message. */
  | { readonly kind: 'edit'; readonly message: BotMessage; readonly at: number }
  | { readonly kind: 'followup'; readonly message: BotMessage; readonly at: number }
  | { readonly kind: 'delete'; readonly message: BotMessage; readonly at: number }
  /** The deadline passed without a callback. */
  | { readonly kind: 'expired'; readonly at: number }
  /** A callback Discord refused: after the deadline (10062), a second one (40060), or an invalid one (400). */
  | { readonly kind: 'rejected-callback'; readonly reason: 'late' | 'duplicate' | 'invalid'; readonly status: number; readonly code: number; readonly at: number };

/** A snapshot of an interaction's state. */
export interface InteractionState {
  readonly kind: InteractionKind;
  readonly callback: InteractionCallbackRecord | null;
  /** The current `@original` message (null before a message callback, or after UPDATE on an unknown message). */
  readonly original: BotMessage | null;
  /** `@original` after each edit, oldest first. */
  readonly edits: readonly BotMessage[];
  readonly followups: readonly BotMessage[];
  /** The response (or deferral) was ephemeral. */
  readonly ephemeral: boolean;
  /** The deadline passed without a callback. */
  readonly expired: boolean;
  readonly rejectedCallbacks: readonly Extract<InteractionEvent, { kind: 'rejected-callback' }>[];
  /** Autocomplete choices sent (type 8). */
  readonly choices: readonly APIApplicationCommandOptionChoice[] | null;
  /** Modal shown (type 9). */
  readonly modal: APIModalInteractionResponseCallbackData | null;
}

/** Rejection of an interaction waiter when the interaction was never acknowledged in time. */
export class InteractionExpiredError extends Error {
  override readonly name = 'InteractionExpiredError';
}

/** Rejection of `reply()`/`choices()`/`modal()` when the bot answered with another callback type. */
export class UnexpectedCallbackError extends Error {
  override readonly name = 'UnexpectedCallbackError';
}

const CALLBACK_NAMES: Readonly<Record<number, string>> = {
  1: 'PONG',
  4: 'CHANNEL_MESSAGE_WITH_SOURCE',
  5: 'DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE',
  6: 'DEFERRED_UPDATE_MESSAGE',
  7: 'UPDATE_MESSAGE',
  8: 'APPLICATION_COMMAND_AUTOCOMPLETE_RESULT',
  9: 'MODAL',
  12: 'LAUNCH_ACTIVITY',
};

export function callbackName(type: number): string {
  return CALLBACK_NAMES[type] ?? `type ${type}`;
}

function describeEvent(event: InteractionEvent): string {
  switch (event.kind) {
    case 'callback':
      return `callback ${callbackName(event.callback.type)} after ${event.callback.latencyMs} ms${event.message ? `: ${preview(event.message.content || event.message.embeds)}` : ''}`;
    case 'edit':
    case 'followup':
      return `${event.kind}: ${preview(event.message.content || event.message.embeds)}`;
    case 'delete':
      return 'original deleted';
    case 'expired':
      return 'expired (deadline passed without a callback)';
    case 'rejected-callback':
      return `callback rejected (${event.reason}): ${event.status} code ${event.code}`;
  }
}

export class InteractionRecord {
  callback: InteractionCallbackRecord | null = null;
  originalId: string | null = null;
  readonly followupIds: string[] = [];
  expired = false;
  tokenExpired = false;
  choices: APIApplicationCommandOptionChoice[] | null = null;
  modal: APIModalInteractionResponseCallbackData | null = null;
  readonly log: EventLog<InteractionEvent>;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly kind: InteractionKind,
    readonly payload: APIInteraction,
    readonly createdAt: number,
    /** For component interactions: the message the component is on. */
    readonly sourceMessageId: string | null,
    defaultTimeoutMs: () => number,
  ) {
    this.log = new EventLog(`interaction ${payload.id} (${kind})`, describeEvent, defaultTimeoutMs);
  }

  get id(): string {
    return this.payload.id;
  }

  get token(): string {
    return this.payload.token;
  }

  startDeadline(ms: number): void {
    this.#timer = setTimeout(() => {
      if (this.callback) return;
      this.expired = true;
      this.log.push({ kind: 'expired', at: Date.now() });
    }, ms);
    this.#timer.unref();
  }

  dispose(error: Error): void {
    clearTimeout(this.#timer);
    this.log.close(error);
  }
}

/**
 * A test's view of one interaction it started. Waiters resolve on the interaction's events; their
 * `timeoutMs` only guards against a hang.
 */
export class InteractionHandle {
  constructor(
    protected readonly record: InteractionRecord,
    protected readonly world: World,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get token(): string {
    return this.record.token;
  }

  get kind(): InteractionKind {
    return this.record.kind;
  }

  /** The INTERACTION_CREATE payload dispatched to the bot. */
  get payload(): APIInteraction {
    return structuredClone(this.record.payload);
  }

  get events(): readonly InteractionEvent[] {
    return this.record.log.items;
  }

  get state(): InteractionState {
    const events = this.record.log.items;
    const original = this.record.originalId ? this.world.messages.get(this.record.originalId) : undefined;
    const callbackType = this.record.callback?.type;
    const ephemeralFlag = (data: unknown) => isRecord(data) && typeof data['flags'] === 'number' && (data['flags'] & MessageFlags.Ephemeral) !== 0;
    return {
      kind: this.record.kind,
      callback: this.record.callback,
      original: original ? this.world.botMessage(original) : null,
      edits: events.flatMap((e) => (e.kind === 'edit' ? [e.message] : [])),
      followups: this.record.followupIds.flatMap((id) => {
        const m = this.world.messages.get(id);
        return m ? [this.world.botMessage(m)] : [];
      }),
      ephemeral: (callbackType === InteractionResponseType.ChannelMessageWithSource || callbackType === InteractionResponseType.DeferredChannelMessageWithSource) && ephemeralFlag(this.record.callback?.data),
      expired: this.record.expired,
      rejectedCallbacks: events.flatMap((e) => (e.kind === 'rejected-callback' ? [e] : [])),
      choices: this.record.choices,
      modal: this.record.modal,
    };
  }

  get followups(): readonly BotMessage[] {
    return this.state.followups;
  }

  /**
   * Resolves with the callback once the bot acknowledges (any type); rejects with
   * {@link InteractionExpiredError} if the deadline passes first.
   */
  acknowledged(options: WaitOptions = {}): Promise<InteractionCallbackRecord> {
    return this.record.log.wait(
      (e) => e.kind === 'callback' || e.kind === 'expired',
      { ...options, includePast: true, what: 'the callback' },
      (e) => {
        if (e.kind === 'callback') return e.callback;
        throw new InteractionExpiredError(`Interaction ${this.id} (${this.kind}) was not acknowledged within the deadline.`);
      },
    );
  }

  /** Resolves once the deadline passed without a callback; rejects if the bot acknowledged in time. */
  expired(options: WaitOptions = {}): Promise<void> {
    return this.record.log.wait(
      (e) => e.kind === 'callback' || e.kind === 'expired',
      { ...options, includePast: true, what: 'the deadline to pass' },
      (e) => {
        if (e.kind !== 'callback') return undefined;
        throw new UnexpectedCallbackError(`Interaction ${this.id} was acknowledged in time (${callbackName(e.callback.type)}).`);
      },
    );
  }

  /**
   * Resolves with the final visible message: the CHANNEL_MESSAGE_WITH_SOURCE message, the
   * UPDATE_MESSAGE'd message, or — after DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE / DEFERRED_UPDATE_MESSAGE —
   * `@original` after its first edit (or the first follow-up, which replaces "thinking…").
   * Rejects when the interaction expires or is answered with autocomplete choices or a modal.
   */
  reply(options: WaitOptions = {}): Promise<BotMessage> {
    return this.record.log.wait(
      (e) => {
        if (e.kind === 'expired') return true;
        if (e.kind === 'callback') {
          const t = e.callback.type;
          return t === InteractionResponseType.ChannelMessageWithSource || t === InteractionResponseType.UpdateMessage || (t !== InteractionResponseType.DeferredChannelMessageWithSource && t !== InteractionResponseType.DeferredMessageUpdate);
        }
        return e.kind === 'edit' || e.kind === 'delete';
      },
      { ...options, includePast: true, what: 'the reply' },
      (e) => {
        if (e.kind === 'expired') throw new InteractionExpiredError(`Interaction ${this.id} (${this.kind}) expired without a reply.`);
        if (e.kind === 'delete') throw new UnexpectedCallbackError(`Interaction ${this.id}: @original was deleted before it showed a reply.`);
        if (e.kind === 'edit') return e.message;
        if (e.kind === 'callback' && e.message) return e.message;
        throw new UnexpectedCallbackError(`Interaction ${this.id} was answered with ${e.kind === 'callback' ? callbackName(e.callback.type) : e.kind}, not a message.`);
      },
    );
  }

  /** Resolves with the `index`-th follow-up (0-based) as created. */
  followup(index = 0, options: WaitOptions = {}): Promise<BotMessage> {
    let seen = -1;
    return this.record.log.wait(
      (e) => e.kind === 'followup' && ++seen === index,
      { ...options, includePast: true, what: `follow-up #${index}` },
      (e) => (e as Extract<InteractionEvent, { kind: 'followup' }>).message,
    );
  }

  /** Resolves with `@original` after its `index`-th edit (0-based). */
  edit(index = 0, options: WaitOptions = {}): Promise<BotMessage> {
    let seen = -1;
    return this.record.log.wait(
      (e) => e.kind === 'edit' && ++seen === index,
      { ...options, includePast: true, what: `edit #${index} of @original` },
      (e) => (e as Extract<InteractionEvent, { kind: 'edit' }>).message,
    );
  }

  /** Resolves with the modal the bot showed (callback type 9). */
  modal(options: WaitOptions = {}): Promise<APIModalInteractionResponseCallbackData> {
    return this.record.log.wait(
      (e) => e.kind === 'callback' || e.kind === 'expired',
      { ...options, includePast: true, what: 'a modal' },
      (e) => {
        if (e.kind === 'callback' && e.callback.type === InteractionResponseType.Modal && this.record.modal) return this.record.modal;
        if (e.kind === 'expired') throw new InteractionExpiredError(`Interaction ${this.id} expired without a modal.`);
        throw new UnexpectedCallbackError(`Interaction ${this.id} was answered with ${e.kind === 'callback' ? callbackName(e.callback.type) : e.kind}, not a modal.`);
      },
    );
  }

  /** Makes the interaction token invalid now, as if its 15 minutes had passed. */
  expireToken(): void {
    this.record.tokenExpired = true;
  }
}

/** An autocomplete interaction: `choices()` resolves with what the bot suggested. */
export class AutocompleteHandle extends InteractionHandle {
  /** Resolves with the choices of the APPLICATION_COMMAND_AUTOCOMPLETE_RESULT callback. */
  choices(options: WaitOptions = {}): Promise<APIApplicationCommandOptionChoice[]> {
    return this.record.log.wait(
      (e) => e.kind === 'callback' || e.kind === 'expired',
      { ...options, includePast: true, what: 'autocomplete choices' },
      (e) => {
        if (e.kind === 'callback' && this.record.choices) return structuredClone(this.record.choices);
        if (e.kind === 'expired') throw new InteractionExpiredError(`Autocomplete ${this.id} expired without choices.`);
        throw new UnexpectedCallbackError(`Autocomplete ${this.id} was answered with ${e.kind === 'callback' ? callbackName(e.callback.type) : e.kind}.`);
      },
    );
  }
}

// ── building interactions ─────────────────────────────────────────────────────────────

/** A slash-command option value; user/channel/role/mentionable options take the id. */
export type OptionValue = string | number | boolean;

export interface InteractionContext {
  readonly user: APIUser;
  /**
   * Where to run (default #general of the primary guild): a guild channel or thread (any guild,
   * including one the bot is not in: the user installed the app to their account), or a group DM
   * (a private channel). Ignored with `dm`.
   */
  readonly channelId?: string;
  /** Run in the bot's DM with `user`. */
  readonly dm?: boolean;
  readonly locale?: Locale;
}

export interface SlashCommandOptions extends InteractionContext {
  /** The command name; `"name sub"` or `"name group sub"` for subcommands. */
  readonly name: string;
  /** `{ option: value }` (types taken from the registered command, else inferred), or raw option objects. */
  readonly options?: Readonly<Record<string, OptionValue>> | readonly APIApplicationCommandInteractionDataOption[];
}

export interface AutocompleteOptions extends InteractionContext {
  readonly name: string;
  /** The option being typed in and its partial value. */
  readonly focused: { readonly name: string; readonly value: string };
  /** Other options already filled in. */
  readonly options?: Readonly<Record<string, OptionValue>>;
}

export interface ComponentOptions {
  readonly user: APIUser;
  readonly customId: string;
  /** A message the bot sent (its current state is used; the component must be on it and enabled). */
  readonly message: Pick<APIMessage, 'id'>;
  /** Selected values, for select menus. */
  readonly values?: readonly string[];
  readonly locale?: Locale;
}

export interface MessageCommandOptions {
  readonly user: APIUser;
  readonly name: string;
  /** The message the command is run on. */
  readonly target: Pick<APIMessage, 'id'>;
  readonly locale?: Locale;
}

export interface UserCommandOptions extends InteractionContext {
  readonly name: string;
  readonly target: APIUser;
}

const OPTION_TYPE_NAMES: Readonly<Record<number, string>> = {
  3: 'string',
  4: 'integer',
  5: 'boolean',
  6: 'user',
  7: 'channel',
  8: 'role',
  9: 'mentionable',
  10: 'number',
  11: 'attachment',
};

export class Interactions {
  readonly records = new Map<string, InteractionRecord>();
  readonly #byToken = new Map<string, InteractionRecord>();

  constructor(
    private readonly world: World,
    private readonly settings: {
      readonly deadlineMs: number;
      readonly tokenLifetimeMs: number;
      readonly requireRegisteredCommands: boolean;
      readonly defaultTimeoutMs: () => number;
    },
  ) {}

  dispose(error: Error): void {
    for (const record of this.records.values()) record.dispose(error);
  }

  // ── test-facing constructors ──

  slashCommand(options: SlashCommandOptions): InteractionHandle {
    const [commandName = '', ...path] = options.name.trim().split(/\s+/);
    const { channel, guild } = this.#where(options);
    const command = this.#command(commandName, ApplicationCommandType.ChatInput, channel);
    const resolved: Record<string, Record<string, unknown>> = {};
    const leaf = this.#subcommandOptions(command, path);
    const raw = options.options;
    const built = isOptionArray(raw) ? structuredClone([...raw]) : this.#buildOptions(raw ?? {}, leaf, guild, resolved, false);
    const data = {
      id: command?.id ?? this.world.ids.next(),
      name: commandName,
      type: ApplicationCommandType.ChatInput,
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
      options: this.#nest(path, built),
      ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
    };
    return new InteractionHandle(this.#create('slash', InteractionType.ApplicationCommand, options, channel, data, null), this.world);
  }

  autocomplete(options: AutocompleteOptions): AutocompleteHandle {
    const [commandName = '', ...path] = options.name.trim().split(/\s+/);
    const { channel, guild } = this.#where(options);
    const command = this.#command(commandName, ApplicationCommandType.ChatInput, channel);
    const leaf = this.#subcommandOptions(command, path);
    const definition = leaf?.find((o) => o.name === options.focused.name);
    if (command && !definition) throw new Error(`/${options.name} has no option "${options.focused.name}"`);
    if (definition && !('autocomplete' in definition && definition.autocomplete)) {
      throw new Error(`Option "${options.focused.name}" of /${options.name} does not have autocomplete enabled`);
    }
    const others = this.#buildOptions(options.options ?? {}, leaf, guild, {}, true);
    const focused = {
      name: options.focused.name,
      type: definition?.type ?? ApplicationCommandOptionType.String,
      value: options.focused.value,
      focused: true,
    } as unknown as APIApplicationCommandInteractionDataOption;
    const data = {
      id: command?.id ?? this.world.ids.next(),
      name: commandName,
      type: ApplicationCommandType.ChatInput,
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
      options: this.#nest(path, [...others, focused]),
    };
    return new AutocompleteHandle(this.#create('autocomplete', InteractionType.ApplicationCommandAutocomplete, options, channel, data, null), this.world);
  }

  component(options: ComponentOptions): InteractionHandle {
    const stored = this.world.messages.get(options.message.id);
    if (!stored || stored.deleted) throw new Error(`Message ${options.message.id} does not exist (deleted?)`);
    const component = findComponent(stored.data.components ?? [], options.customId);
    if (!component) {
      throw new Error(`Message ${options.message.id} has no component with custom_id "${options.customId}" (it has: ${listCustomIds(stored.data.components ?? []).join(', ') || 'none'})`);
    }
    if (component['disabled'] === true) throw new Error(`Component "${options.customId}" is disabled`);
    const componentType = component['type'] as ComponentType;
    if (componentType === ComponentType.Button && options.values) throw new Error('A button has no values');
    if (componentType !== ComponentType.Button && !options.values) throw new Error(`Component "${options.customId}" is a select menu: pass values`);
    const channel = this.world.channel(stored.data.channel_id);
    if (!channel) throw new Error(`Unknown channel ${stored.data.channel_id}`);
    const data = {
      custom_id: options.customId,
      component_type: componentType,
      ...(options.values ? { values: [...options.values] } : {}),
    };
    const context: InteractionContext = { user: options.user, ...(options.locale ? { locale: options.locale } : {}) };
    return new InteractionHandle(
      this.#create(componentType === ComponentType.Button ? 'button' : 'select', InteractionType.MessageComponent, context, channel, data, stored),
      this.world,
    );
  }

  messageCommand(options: MessageCommandOptions): InteractionHandle {
    const target = this.world.messages.get(options.target.id);
    if (!target || target.deleted) throw new Error(`Message ${options.target.id} does not exist`);
    const channel = this.world.channel(target.data.channel_id);
    if (!channel) throw new Error(`Unknown channel ${target.data.channel_id}`);
    this.#assertParticipant(channel, options.user);
    const command = this.#command(options.name, ApplicationCommandType.Message, channel);
    const data = {
      id: command?.id ?? this.world.ids.next(),
      name: options.name,
      type: ApplicationCommandType.Message,
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
      target_id: target.data.id,
      // Interactions carry the full message: no MessageContent blanking here.
      resolved: { messages: { [target.data.id]: structuredClone(target.data) } },
    };
    const context: InteractionContext = { user: options.user, ...(options.locale ? { locale: options.locale } : {}) };
    return new InteractionHandle(this.#create('message-command', InteractionType.ApplicationCommand, context, channel, data, null), this.world);
  }

  userCommand(options: UserCommandOptions): InteractionHandle {
    const { channel } = this.#where(options);
    const command = this.#command(options.name, ApplicationCommandType.User, channel);
    const guildId = this.world.guildOf(channel);
    const member = guildId ? this.world.member(options.target.id, guildId) : undefined;
    const data = {
      id: command?.id ?? this.world.ids.next(),
      name: options.name,
      type: ApplicationCommandType.User,
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
      target_id: options.target.id,
      resolved: {
        users: { [options.target.id]: structuredClone(options.target) },
        ...(member ? { members: { [options.target.id]: { ...omitUser(member), permissions: this.world.permissionsOf(options.target.id).toString() } } } : {}),
      },
    };
    return new InteractionHandle(this.#create('user-command', InteractionType.ApplicationCommand, options, channel, data, null), this.world);
  }

  #where(context: InteractionContext): { channel: StoredChannel; guild: boolean } {
    if (context.dm) return { channel: this.world.dmChannel(context.user.id), guild: false };
    const channel = this.world.channel(context.channelId ?? this.world.general.id);
    if (!channel) throw new Error(`Unknown channel ${context.channelId ?? ''}`);
    this.#assertParticipant(channel, context.user);
    return { channel, guild: this.world.guildOf(channel) !== null };
  }

  #assertParticipant(channel: StoredChannel, user: APIUser): void {
    if (channel.type === ChannelType.GroupDM) {
      if (!channel.recipients?.some((u) => u.id === user.id)) throw new Error(`${user.username} is not in group DM ${channel.id}`);
    } else if (channel.type !== ChannelType.DM && !this.world.isMemberWhere(channel, user.id)) {
      throw new Error(`${user.username} is not a member of the guild`);
    }
  }

  /** Where a channel is, as Discord's interaction `context` says it. */
  #contextOf(channel: StoredChannel): InteractionContextType {
    if (channel.type === ChannelType.DM) return InteractionContextType.BotDM;
    if (channel.type === ChannelType.GroupDM) return InteractionContextType.PrivateChannel;
    return InteractionContextType.Guild;
  }

  /**
   * The registered command a user can run in `channel`, as Discord decides: guild commands only in
   * their guild; a bot DM needs the DM context; a group DM (private channel), or a guild the bot is
   * not in, needs the app installed to the user's account (integration type 1) and, for group DMs,
   * the private-channel context.
   */
  #command(name: string, type: ApplicationCommandType, channel: StoredChannel): APIApplicationCommand | undefined {
    const guildId = this.world.guildOf(channel);
    const context = this.#contextOf(channel);
    const botInGuild = guildId !== null && (this.world.guilds.get(guildId)?.botMember ?? false);
    const where = context === InteractionContextType.BotDM ? 'in DMs' : context === InteractionContextType.PrivateChannel ? 'in group DMs' : botInGuild ? 'in the guild' : 'in a guild the bot is not in';
    const candidates = [...(guildId ? (this.world.guildCommands.get(guildId) ?? []) : []), ...this.world.globalCommands];
    const command = candidates.find((c) => c.name === name && (c.type ?? ApplicationCommandType.ChatInput) === type);
    if (!command) {
      if (this.settings.requireRegisteredCommands) {
        const known = candidates.map((c) => `${c.name} (type ${c.type})`).join(', ') || 'none';
        throw new Error(`The bot has not registered a type-${type} command "${name}" usable ${where} (registered: ${known})`);
      }
      return undefined;
    }
    const contexts = command.contexts;
    const userInstall = (command.integration_types ?? [ApplicationIntegrationType.GuildInstall]).includes(ApplicationIntegrationType.UserInstall);
    const inContext = contexts ? contexts.includes(context) : context === InteractionContextType.Guild || (context === InteractionContextType.BotDM && command.dm_permission !== false);
    const installed = context === InteractionContextType.PrivateChannel || (context === InteractionContextType.Guild && !botInGuild) ? userInstall : true;
    if (!inContext || !installed) throw new Error(`Command "${name}" is not available ${where} (contexts ${JSON.stringify(contexts)}, integration types ${JSON.stringify(command.integration_types)})`);
    return command;
  }

  #subcommandOptions(command: APIApplicationCommand | undefined, path: readonly string[]): APIApplicationCommandOption[] | undefined {
    if (!command) return undefined;
    let options: APIApplicationCommandOption[] = command.options ?? [];
    for (const part of path) {
      const next = options.find((o) => o.name === part && (o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup));
      if (!next) throw new Error(`/${command.name} has no subcommand "${part}"`);
      options = ('options' in next ? next.options : undefined) ?? [];
    }
    if (path.length === 0 && options.some((o) => o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup)) {
      throw new Error(`/${command.name} needs a subcommand`);
    }
    return options;
  }

  #nest(path: readonly string[], options: APIApplicationCommandInteractionDataOption[]): APIApplicationCommandInteractionDataOption[] {
    let nested = options;
    for (let i = path.length - 1; i >= 0; i--) {
      const type = i === path.length - 1 ? ApplicationCommandOptionType.Subcommand : ApplicationCommandOptionType.SubcommandGroup;
      nested = [{ name: path[i] ?? '', type, options: nested } as unknown as APIApplicationCommandInteractionDataOption];
    }
    return nested;
  }

  #buildOptions(
    values: Readonly<Record<string, OptionValue>>,
    definitions: readonly APIApplicationCommandOption[] | undefined,
    guild: boolean,
    resolved: Record<string, Record<string, unknown>>,
    partial: boolean,
  ): APIApplicationCommandInteractionDataOption[] {
    const out: APIApplicationCommandInteractionDataOption[] = [];
    if (definitions && !partial) {
      for (const d of definitions) {
        if ('required' in d && d.required && !(d.name in values)) throw new Error(`Required option "${d.name}" is missing`);
      }
    }
    for (const [name, value] of Object.entries(values)) {
      const definition = definitions?.find((o) => o.name === name);
      if (definitions && !definition) throw new Error(`Unknown option "${name}" (options: ${definitions.map((o) => o.name).join(', ')})`);
      const type = definition?.type ?? (typeof value === 'boolean' ? 5 : typeof value === 'number' ? (Number.isInteger(value) ? 4 : 10) : 3);
      const expected = type === 4 || type === 10 ? 'number' : type === 5 ? 'boolean' : 'string';
      if (typeof value !== expected) throw new Error(`Option "${name}" is a ${OPTION_TYPE_NAMES[type] ?? type} option: ${JSON.stringify(value)} does not fit`);
      if (type === 4 && !Number.isInteger(value)) throw new Error(`Option "${name}" needs an integer`);
      if (definition && 'choices' in definition && Array.isArray(definition.choices) && definition.choices.length > 0) {
        if (!definition.choices.some((c: APIApplicationCommandOptionChoice) => c.value === value)) throw new Error(`Option "${name}" must be one of its choices`);
      }
      if (definition && 'max_length' in definition && typeof definition.max_length === 'number' && typeof value === 'string' && [...value].length > definition.max_length) {
        throw new Error(`Option "${name}" is longer than its max_length ${definition.max_length}`);
      }
      if (definition && 'min_length' in definition && typeof definition.min_length === 'number' && typeof value === 'string' && [...value].length < definition.min_length) {
        throw new Error(`Option "${name}" is shorter than its min_length ${definition.min_length}`);
      }
      if (typeof value === 'number' && definition && 'min_value' in definition && typeof definition.min_value === 'number' && value < definition.min_value) throw new Error(`Option "${name}" is below its min_value`);
      if (typeof value === 'number' && definition && 'max_value' in definition && typeof definition.max_value === 'number' && value > definition.max_value) throw new Error(`Option "${name}" is above its max_value`);
      if (type === ApplicationCommandOptionType.User || type === ApplicationCommandOptionType.Mentionable) this.#resolveUserOrRole(String(value), guild, resolved, type);
      if (type === ApplicationCommandOptionType.Role) this.#resolveUserOrRole(String(value), guild, resolved, type);
      if (type === ApplicationCommandOptionType.Channel) {
        const channel = this.world.channel(String(value));
        if (!channel || channel.type === ChannelType.DM) throw new Error(`Unknown channel ${String(value)}`);
        (resolved['channels'] ??= {})[channel.id] = {
          id: channel.id,
          name: channel.name,
          type: channel.type,
          permissions: this.world.permissionsOf(this.world.botUser.id).toString(),
          ...(this.world.isThread(channel) ? { parent_id: channel.parent_id, thread_metadata: channel.thread_metadata } : {}),
        };
      }
      out.push({ name, type, value } as unknown as APIApplicationCommandInteractionDataOption);
    }
    return out;
  }

  #resolveUserOrRole(id: string, guild: boolean, resolved: Record<string, Record<string, unknown>>, type: ApplicationCommandOptionType): void {
    const user = this.world.users.get(id);
    if (user && type !== ApplicationCommandOptionType.Role) {
      (resolved['users'] ??= {})[id] = structuredClone(user);
      const member = guild ? this.world.member(id) : undefined;
      if (member) (resolved['members'] ??= {})[id] = { ...omitUser(member), permissions: this.world.permissionsOf(id).toString() };
      return;
    }
    const role = this.world.roles.find((r) => r.id === id);
    if (role && type !== ApplicationCommandOptionType.User) {
      (resolved['roles'] ??= {})[id] = structuredClone(role);
      return;
    }
    throw new Error(`Unknown ${type === ApplicationCommandOptionType.Role ? 'role' : 'user'} ${id}`);
  }

  #create(
    kind: InteractionKind,
    type: InteractionType,
    context: InteractionContext,
    channel: StoredChannel,
    data: Record<string, unknown>,
    source: StoredMessage | null,
  ): InteractionRecord {
    const world = this.world;
    const guildId = world.guildOf(channel);
    const interactionContext = this.#contextOf(channel);
    const botInGuild = guildId !== null && (world.guilds.get(guildId)?.botMember ?? false);
    const id = world.ids.next();
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString('base64url');
    const locale = context.locale ?? Locale.EnglishUS;
    const botPermissions = world.permissionsOf(world.botUser.id, guildId ?? world.guildId).toString();
    const member = guildId ? world.member(context.user.id, guildId) : undefined;
    if (guildId && !member) throw new Error(`${context.user.username} is not a member of the guild`);
    // Who installed the app for this use: the guild (0) where the bot is, else the user's account (1).
    const owners =
      interactionContext === InteractionContextType.PrivateChannel || (guildId !== null && !botInGuild)
        ? { 1: context.user.id }
        : { 0: guildId ?? '0' };
    const payload = {
      id,
      application_id: world.application.id,
      type,
      data,
      token,
      version: 1,
      channel: { ...world.channelObject(channel), ...(guildId ? { permissions: world.permissionsOf(context.user.id, guildId).toString() } : {}) },
      channel_id: channel.id,
      app_permissions: botPermissions,
      locale,
      entitlements: [],
      authorizing_integration_owners: owners,
      context: interactionContext,
      attachment_size_limit: 10 * 1024 * 1024,
      ...(guildId && member
        ? {
            guild_id: guildId,
            guild: { id: guildId, locale: Locale.EnglishUS, features: [] },
            guild_locale: Locale.EnglishUS,
            member: { ...member, permissions: world.permissionsOf(context.user.id, guildId).toString() },
          }
        : { user: structuredClone(context.user) }),
      ...(source ? { message: structuredClone(source.data) } : {}),
    } as unknown as APIInteraction;
    const now = Date.now();
    const record = new InteractionRecord(kind, payload, now, source?.data.id ?? null, this.settings.defaultTimeoutMs);
    this.records.set(id, record);
    this.#byToken.set(token, record);
    record.startDeadline(this.settings.deadlineMs);
    world.gateway?.dispatch(GatewayDispatchEvents.InteractionCreate, guildId, () => payload);
    return record;
  }

  // ── REST: callback ──

  /** `POST /interactions/{id}/{token}/callback` */
  callback(id: string, token: string, body: unknown, files: readonly RecordedFile[], withResponse: boolean): { status: number; body?: unknown } {
    const record = this.records.get(id);
    if (!record || record.token !== token) throw Errors.unknownInteraction();
    const reject = (reason: 'late' | 'duplicate' | 'invalid', error: HttpError): never => {
      const code = typeof error.body['code'] === 'number' ? error.body['code'] : 0;
      record.log.push({ kind: 'rejected-callback', reason, status: error.status, code, at: Date.now() });
      throw error;
    };
    if (record.callback) reject('duplicate', Errors.alreadyAcknowledged());
    const now = Date.now();
    if (record.expired || now - record.createdAt > this.settings.deadlineMs) {
      if (!record.expired) {
        record.expired = true;
        record.log.push({ kind: 'expired', at: now });
      }
      reject('late', Errors.unknownInteraction());
    }
    try {
      return this.#acknowledge(record, body, files, withResponse, now);
    } catch (error) {
      if (error instanceof HttpError) reject('invalid', error);
      throw error;
    }
  }

  #acknowledge(record: InteractionRecord, body: unknown, files: readonly RecordedFile[], withResponse: boolean, now: number): { status: number; body?: unknown } {
    if (!isRecord(body) || typeof body['type'] !== 'number') {
      const form = new FormErrorCollector();
      form.required(['type']);
      form.throwIfAny();
      throw new Error('unreachable');
    }
    const type = body['type'] as InteractionResponseType;
    const data = isRecord(body['data']) ? body['data'] : {};
    const payload = record.payload;
    const isComponent = payload.type === InteractionType.MessageComponent || payload.type === InteractionType.ModalSubmit;
    const isAutocomplete = payload.type === InteractionType.ApplicationCommandAutocomplete;
    const invalidType = () => {
      const form = new FormErrorCollector();
      form.add(['type'], 'INTERACTION_RESPONSE_TYPE_INVALID', `Interaction response type ${callbackName(type)} is not valid for this interaction`);
      form.throwIfAny();
    };
    const channel = this.world.channel(payload.channel?.id ?? '');
    if (!channel) throw Errors.unknownChannel();
    const ephemeral = typeof data['flags'] === 'number' && (data['flags'] & MessageFlags.Ephemeral) !== 0;
    let message: StoredMessage | null = null;

    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        if (isAutocomplete) invalidType();
        const form = new FormErrorCollector();
        validateMessageFields(data, form, ['data']);
        form.throwIfAny();
        if (isEmptyMessage({ ...data, attachments: files.length > 0 ? files : data['attachments'] })) throw Errors.emptyMessage();
        message = this.world.createBotMessage(channel, data, { via: 'interaction', interactionId: record.id, ephemeral, files }, this.#interactionFields(record, null));
        record.originalId = message.data.id;
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        if (isAutocomplete) invalidType();
        message = this.world.createBotMessage(
          channel,
          { content: '', flags: MessageFlags.Loading | (ephemeral ? MessageFlags.Ephemeral : 0) },
          { via: 'interaction', interactionId: record.id, ephemeral },
          this.#interactionFields(record, null),
        );
        record.originalId = message.data.id;
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
        if (!isComponent) invalidType();
        record.originalId = record.sourceMessageId;
        break;
      case InteractionResponseType.UpdateMessage: {
        if (!isComponent) invalidType();
        const source = record.sourceMessageId ? this.world.messages.get(record.sourceMessageId) : undefined;
        if (!source || source.deleted) throw Errors.unknownMessage();
        const form = new FormErrorCollector();
        validateMessageFields(data, form, ['data']);
        form.throwIfAny();
        if (wouldBeEmptyAfterEdit(data, source.data, files)) throw Errors.emptyMessage();
        record.originalId = source.data.id;
        message = this.world.editMessage(source, data, files);
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult: {
        if (!isAutocomplete) invalidType();
        const form = new FormErrorCollector();
        validateAutocompleteData(body['data'], form);
        form.throwIfAny();
        record.choices = structuredClone(data['choices'] as APIApplicationCommandOptionChoice[]);
        break;
      }
      case InteractionResponseType.Modal: {
        if (isAutocomplete || payload.type === InteractionType.ModalSubmit) invalidType();
        const form = new FormErrorCollector();
        validateModalData(body['data'], form);
        form.throwIfAny();
        record.modal = structuredClone(data) as unknown as APIModalInteractionResponseCallbackData;
        break;
      }
      default:
        invalidType();
    }

    record.callback = { type, data: structuredClone(body['data']), at: now, latencyMs: now - record.createdAt, withResponse };
    const snapshot = message ? this.world.botMessage(message) : null;
    record.log.push({ kind: 'callback', callback: record.callback, message: snapshot, at: now });
    if (!withResponse) return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: record.id,
          type: payload.type,
          ...(message ? { response_message_id: message.data.id, response_message_loading: type === InteractionResponseType.DeferredChannelMessageWithSource, response_message_ephemeral: message.ephemeral } : {}),
        },
        resource: { type, ...(message ? { message: this.world.restMessage(message) } : {}) },
      },
    };
  }

  #interactionFields(record: InteractionRecord, originalId: string | null): Partial<APIMessage> {
    const payload = record.payload;
    const user = (payload.member?.user ?? payload.user) as APIUser;
    const data = payload.data as Record<string, unknown> | undefined;
    const commandType = payload.type === InteractionType.ApplicationCommand ? (data?.['type'] as ApplicationCommandType) : undefined;
    const type =
      payload.type === InteractionType.ApplicationCommand
        ? commandType === ApplicationCommandType.ChatInput
          ? MessageType.ChatInputCommand
          : MessageType.ContextMenuCommand
        : MessageType.Default;
    return {
      type: originalId ? MessageType.Default : type,
      webhook_id: this.world.application.id,
      application_id: this.world.application.id,
      interaction_metadata: {
        id: record.id,
        type: payload.type,
        user: structuredClone(user),
        authorizing_integration_owners: structuredClone(payload.authorizing_integration_owners),
        ...(originalId ? { original_response_message_id: originalId } : {}),
        ...(payload.type === InteractionType.MessageComponent && record.sourceMessageId ? { interacted_message_id: record.sourceMessageId } : {}),
        ...(commandType === ApplicationCommandType.Message && typeof data?.['target_id'] === 'string' ? { target_message_id: data['target_id'] } : {}),
      } as never,
      ...(payload.type === InteractionType.ApplicationCommand
        ? { interaction: { id: record.id, type: payload.type, name: String(data?.['name'] ?? ''), user: structuredClone(user) } }
        : {}),
    };
  }

  // ── REST: interaction webhook ──

  /** Finds the interaction behind `/webhooks/{applicationId}/{token}`; 401/404 like Discord. */
  webhook(applicationId: string, token: string): InteractionRecord {
    if (applicationId !== this.world.application.id) throw Errors.unknownWebhook();
    const record = this.#byToken.get(token);
    if (!record) throw Errors.invalidWebhookToken();
    if (record.tokenExpired || Date.now() - record.createdAt > this.settings.tokenLifetimeMs) throw Errors.invalidWebhookToken();
    if (!record.callback) throw Errors.unknownWebhook();
    return record;
  }

  #messageOf(record: InteractionRecord, messageId: string): StoredMessage {
    const id = messageId === '@original' ? record.originalId : messageId;
    const mine = id !== null && (id === record.originalId || record.followupIds.includes(id));
    const stored = id ? this.world.messages.get(id) : undefined;
    if (!mine || !stored || stored.deleted) throw Errors.unknownMessage();
    return stored;
  }

  getMessage(record: InteractionRecord, messageId: string): unknown {
    return this.world.restMessage(this.#messageOf(record, messageId));
  }

  editMessage(record: InteractionRecord, messageId: string, body: unknown, files: readonly RecordedFile[]): unknown {
    const stored = this.#messageOf(record, messageId);
    const edit = isRecord(body) ? body : {};
    const form = new FormErrorCollector();
    validateMessageFields(edit, form);
    form.throwIfAny();
    const wasLoading = ((stored.data.flags ?? 0) & MessageFlags.Loading) !== 0;
    if (wouldBeEmptyAfterEdit(edit, stored.data, files)) throw Errors.emptyMessage();
    const extra: Partial<APIMessage> = wasLoading ? { flags: (stored.data.flags ?? 0) & ~MessageFlags.Loading } : {};
    this.world.editMessage(stored, edit, files, extra);
    if (stored.data.id === record.originalId) record.log.push({ kind: 'edit', message: this.world.botMessage(stored), at: Date.now() });
    return this.world.restMessage(stored);
  }

  deleteMessage(record: InteractionRecord, messageId: string): void {
    const stored = this.#messageOf(record, messageId);
    this.world.deleteMessage(stored);
    if (stored.data.id === record.originalId) record.log.push({ kind: 'delete', message: this.world.botMessage(stored), at: Date.now() });
  }

  /** `POST /webhooks/{app}/{token}`: a follow-up; the first one after a deferral replaces "thinking…". */
  followup(record: InteractionRecord, body: unknown, files: readonly RecordedFile[]): unknown {
    const data = isRecord(body) ? body : {};
    const form = new FormErrorCollector();
    validateMessageFields(data, form);
    form.throwIfAny();
    if (isEmptyMessage({ ...data, attachments: files.length > 0 ? files : data['attachments'] })) throw Errors.emptyMessage();
    const original = record.originalId ? this.world.messages.get(record.originalId) : undefined;
    if (
      record.callback?.type === InteractionResponseType.DeferredChannelMessageWithSource &&
      original &&
      !original.deleted &&
      ((original.data.flags ?? 0) & MessageFlags.Loading) !== 0
    ) {
      // Discord: a follow-up to a deferred response edits the loading message (keeping its ephemerality).
      const replacement = { content: '', embeds: [], components: [], ...data };
      this.world.editMessage(original, replacement, files, { flags: (original.data.flags ?? 0) & ~MessageFlags.Loading });
      const snapshot = this.world.botMessage(original);
      record.log.push({ kind: 'edit', message: snapshot, at: Date.now() });
      return this.world.restMessage(original);
    }
    const channel = this.world.channel(record.payload.channel?.id ?? '');
    if (!channel) throw Errors.unknownChannel();
    const ephemeral = typeof data['flags'] === 'number' && (data['flags'] & MessageFlags.Ephemeral) !== 0;
    const message = this.world.createBotMessage(channel, data, { via: 'followup', interactionId: record.id, ephemeral, files }, this.#interactionFields(record, record.originalId ?? record.id));
    record.followupIds.push(message.data.id);
    record.log.push({ kind: 'followup', message: this.world.botMessage(message), at: Date.now() });
    return this.world.restMessage(message);
  }
}

function isOptionArray(value: unknown): value is readonly APIApplicationCommandInteractionDataOption[] {
  return Array.isArray(value);
}

function omitUser<T extends { user?: unknown }>(member: T): Omit<T, 'user'> {
  const { user: _user, ...rest } = member;
  return rest;
}

function findComponent(components: readonly unknown[], customId: string): Record<string, unknown> | undefined {
  for (const component of components) {
    if (!isRecord(component)) continue;
    if (component['custom_id'] === customId) return component;
    for (const key of ['components', 'accessory'] as const) {
      const children = component[key];
      const found = findComponent(Array.isArray(children) ? children : isRecord(children) ? [children] : [], customId);
      if (found) return found;
    }
  }
  return undefined;
}

function listCustomIds(components: readonly unknown[]): string[] {
  return components.flatMap((component) => {
    if (!isRecord(component)) return [];
    const own = typeof component['custom_id'] === 'string' ? [component['custom_id']] : [];
    const children = component['components'];
    return [...own, ...(Array.isArray(children) ? listCustomIds(children) : [])];
  });
}
