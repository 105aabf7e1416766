import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ApplicationCommandType,
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
  ThreadAutoArchiveDuration,
  type APIApplicationCommand,
} from 'discord-api-types/v10';
import { Errors, FormErrorCollector, HttpError } from './errors.js';
import type { Gateway } from './gateway.js';
import type { Interactions } from './interactions.js';
import type { RecordedFile, RecordedRequest, RestFaultSpec, TypingEvent } from './types.js';
import { LIMITS, isEmptyMessage, isRecord, textLength, validateCommands, validateMessageFields, wouldBeEmptyAfterEdit } from './validation.js';
import type { EventLog } from './waiters.js';
import type { StoredChannel, StoredMessage, World } from './world.js';

/**
 * The HTTP API v10 under `/api/v10`: routing, `Authorization: Bot <token>`, JSON and multipart
 * bodies, injected faults, and the request log.
 */

export interface FaultState {
  readonly spec: RestFaultSpec;
  remaining: number;
  readonly hits: RecordedRequest[];
  cancelled: boolean;
  /** Notified when a hit is recorded. */
  readonly onHit: () => void;
}

export interface RestHost {
  readonly world: World;
  readonly interactions: Interactions;
  readonly gateway: Gateway;
  readonly token: string;
  readonly gatewayUrl: () => string;
  /** `shards` and `max_concurrency` of `GET /gateway/bot`. */
  readonly recommendedShards: number;
  readonly maxConcurrency: number;
  readonly requests: EventLog<RecordedRequest>;
  readonly typing: EventLog<TypingEvent>;
  readonly faults: FaultState[];
}

interface Ctx {
  readonly params: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly files: readonly RecordedFile[];
  readonly query: URLSearchParams;
}

interface Result {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  /** Needs `Authorization: Bot <token>` (interaction callbacks and webhook-token routes do not). */
  readonly auth: boolean;
  readonly handler: (ctx: Ctx) => Result;
}

const API_PREFIX = '/api/v10';

function compile(path: string): RegExp {
  const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, '(?<$1>[^/]+)');
  return new RegExp(`^${source}$`);
}

const ok = (body: unknown, status = 200): Result => ({ status, body });
const noContent: Result = { status: 204 };

const TEXT_CHANNEL_TYPES: ReadonlySet<ChannelType> = new Set([
  ChannelType.GuildText,
  ChannelType.DM,
  ChannelType.GuildAnnouncement,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

export class RestApi {
  readonly #routes: Route[] = [];
  #seq = 0;

  constructor(private readonly host: RestHost) {
    this.#defineRoutes();
  }

  get #world(): World {
    return this.host.world;
  }

  #route(method: string, path: string, handler: (ctx: Ctx) => Result, auth = true): void {
    this.#routes.push({ method, pattern: compile(path), auth, handler });
  }

  /** The node:http request listener. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    void this.#handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `Fake Discord bug: ${error instanceof Error ? error.stack : String(error)}`, code: 0 }));
      }
    });
  };

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const seq = ++this.#seq;
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);

    if (method === 'GET' && url.pathname.startsWith('/attachments/')) {
      const file = this.#world.attachmentFiles.get(url.pathname.split('/')[2] ?? '');
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.size) }).end(file.data);
      return;
    }

    const rawPath = url.pathname.startsWith(`${API_PREFIX}/`) ? url.pathname.slice(API_PREFIX.length) : null;
    /** Segment-wise decoded (`%40original` → `@original`): what the log shows and fault patterns see. */
    const path = rawPath === null ? null : rawPath.split('/').map(safeDecode).join('/');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = value;

    let body: unknown;
    let files: RecordedFile[] = [];
    let result: Result;
    let injected: FaultState | undefined;
    try {
      ({ body, files } = await parseBody(raw, headers['content-type']));
      injected = path === null ? undefined : this.#takeFault(method, path);
      if (injected) {
        result = faultResult(injected.spec);
      } else {
        result = this.#dispatch(method, rawPath, headers, { body, files, query: url.searchParams });
      }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      result = { status: error.status, body: error.body, headers: error.headers };
    }

    const record: RecordedRequest = {
      seq,
      method,
      path: path ?? url.pathname,
      query,
      headers,
      body,
      files,
      at,
      status: result.status,
      response: result.body,
      fault: injected !== undefined,
    };
    if (result.status === 204 || result.body === undefined) {
      res.writeHead(result.status, { ...result.headers });
      res.end();
    } else if (typeof result.body === 'string') {
      res.writeHead(result.status, { 'content-type': 'text/plain', ...result.headers });
      res.end(result.body);
    } else {
      res.writeHead(result.status, { 'content-type': 'application/json', ...result.headers });
      res.end(JSON.stringify(result.body));
    }
    this.host.requests.push(record);
    if (injected) {
      injected.hits.push(record);
      injected.onHit();
    }
  }

  #takeFault(method: string, path: string): FaultState | undefined {
    const state = this.host.faults.find(
      (f) =>
        !f.cancelled &&
        f.remaining > 0 &&
        (f.spec.match.method === undefined || f.spec.match.method.toUpperCase() === method) &&
        (f.spec.match.path === undefined || f.spec.match.path.test(path)),
    );
    if (!state) return undefined;
    state.remaining--;
    return state;
  }

  #dispatch(method: string, path: string | null, headers: Readonly<Record<string, string>>, ctx: Omit<Ctx, 'params'>): Result {
    if (path === null) throw Errors.notFound();
    let pathMatched = false;
    for (const route of this.#routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      if (route.auth && headers['authorization'] !== `Bot ${this.host.token}`) throw Errors.unauthorized();
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(match.groups ?? {})) params[k] = safeDecode(v);
      return route.handler({ ...ctx, params });
    }
    throw pathMatched ? Errors.methodNotAllowed() : Errors.notFound();
  }

  // ── routes ────────────────────────────────────────────────────────────────────────

  #defineRoutes(): void {
    const world = this.#world;
    const r = this.#route.bind(this);

    r('GET', '/gateway', () => ok({ url: this.host.gatewayUrl() }), false);
    r('GET', '/gateway/bot', () =>
      ok({
        url: this.host.gatewayUrl(),
        shards: this.host.recommendedShards,
        session_start_limit: { total: 1000, remaining: Math.max(0, 1000 - this.host.gateway.identifyCount), reset_after: 14_400_000, max_concurrency: this.host.maxConcurrency },
      }),
    );

    r('GET', '/users/@me', () => ok(world.botUser));
    r('POST', '/users/@me/channels', ({ body }) => {
      const recipient = isRecord(body) ? String(body['recipient_id'] ?? '') : '';
      if (!world.users.has(recipient)) {
        const form = new FormErrorCollector();
        form.add(['recipient_id'], 'NUMBER_TYPE_COERCE', `Value "${recipient}" is not snowflake.`);
        form.throwIfAny();
      }
      return ok(world.channelObject(world.dmChannel(recipient)));
    });
    r('GET', '/users/:user', ({ params }) => {
      const user = world.users.get(params['user'] ?? '');
      if (!user) throw Errors.unknownUser();
      return ok(user);
    });

    r('GET', '/applications/@me', () => ok(world.application));
    r('GET', '/oauth2/applications/@me', () => ok(world.application));

    // Application commands: global and guild.
    for (const scope of ['global', 'guild'] as const) {
      const base = scope === 'global' ? '/applications/:app/commands' : '/applications/:app/guilds/:guild/commands';
      r('GET', base, ({ params }) => ok(this.#commands(params)));
      r('PUT', base, ({ params, body }) => ok(this.#overwriteCommands(params, body)));
      r('POST', base, ({ params, body }) => this.#createCommand(params, body));
      r('GET', `${base}/:command`, ({ params }) => ok(this.#command(params)));
      r('PATCH', `${base}/:command`, ({ params, body }) => ok(this.#editCommand(params, body)));
      r('DELETE', `${base}/:command`, ({ params }) => {
        const list = this.#commands(params);
        const index = list.findIndex((c) => c.id === params['command']);
        if (index < 0) throw Errors.unknownCommand();
        list.splice(index, 1);
        return noContent;
      });
    }

    r('GET', '/guilds/:guild', ({ params }) => ok(world.guildObject(this.#guild(params))));
    r('GET', '/guilds/:guild/channels', ({ params }) => {
      const guildId = this.#guild(params);
      return ok([...world.channels.values()].filter((c) => c.type === ChannelType.GuildText && c.guild_id === guildId).map((c) => world.channelObject(c)));
    });
    r('GET', '/guilds/:guild/roles', ({ params }) => ok(world.guild(this.#guild(params)).roles));
    r('GET', '/guilds/:guild/members/:user', ({ params }) => {
      const member = world.member(params['user'] ?? '', this.#guild(params));
      if (!member) throw Errors.unknownMember();
      return ok(member);
    });
    r('GET', '/guilds/:guild/threads/active', ({ params }) => {
      const guildId = this.#guild(params);
      return ok({ threads: world.threads().filter((t) => !t.thread_metadata?.archived && t.guild_id === guildId), members: [] });
    });

    r('GET', '/channels/:channel', ({ params }) => ok(world.channelObject(this.#channel(params))));
    r('GET', '/channels/:channel/messages', ({ params, query }) => ok(this.#listMessages(this.#channel(params), query)));
    r('POST', '/channels/:channel/messages', ({ params, body, files }) => ok(this.#createMessage(this.#channel(params), body, files)));
    r('GET', '/channels/:channel/messages/:message', ({ params }) => ok(world.restMessage(this.#message(params))));
    r('PATCH', '/channels/:channel/messages/:message', ({ params, body, files }) => ok(this.#editMessage(this.#message(params), body, files)));
    r('DELETE', '/channels/:channel/messages/:message', ({ params }) => {
      const message = this.#message(params);
      const channel = this.#channel(params);
      const guildId = world.guildOf(channel);
      if (message.data.author.id !== world.botUser.id && (guildId === null || !world.botCan(PermissionFlagsBits.ManageMessages, guildId))) {
        throw Errors.missingPermissions();
      }
      world.deleteMessage(message);
      return noContent;
    });
    r('POST', '/channels/:channel/typing', ({ params }) => {
      const channel = this.#channel(params);
      this.#requireSend(channel);
      this.host.typing.push({ channelId: channel.id, at: Date.now() });
      return noContent;
    });
    r('PUT', '/channels/:channel/messages/:message/reactions/:emoji/@me', ({ params }) => {
      const message = this.#message(params);
      const emoji = params['emoji'] ?? '';
      const reactions = (message.data.reactions ??= []);
      const [name = '', id = null] = emoji.split(':');
      const existing = reactions.find((x) => (x.emoji.id ?? x.emoji.name) === (id ?? name));
      if (existing) {
        if (!existing.me) {
          existing.me = true;
          existing.count++;
        }
      } else {
        reactions.push({ emoji: { id, name }, count: 1, me: true, me_burst: false, burst_colors: [], burst_me: false, count_details: { burst: 0, normal: 1 } } as never);
      }
      return noContent;
    });
    r('DELETE', '/channels/:channel/messages/:message/reactions/:emoji/@me', ({ params }) => {
      const message = this.#message(params);
      const emoji = params['emoji'] ?? '';
      const [name = '', id = null] = emoji.split(':');
      message.data.reactions = (message.data.reactions ?? []).flatMap((x) => {
        if ((x.emoji.id ?? x.emoji.name) !== (id ?? name) || !x.me) return [x];
        return x.count > 1 ? [{ ...x, me: false, count: x.count - 1 }] : [];
      });
      return noContent;
    });
    r('POST', '/channels/:channel/messages/:message/threads', ({ params, body }) => {
      const channel = this.#channel(params);
      const message = this.#message(params);
      if (channel.type !== ChannelType.GuildText) throw Errors.wrongChannelType();
      if (!world.botCan(PermissionFlagsBits.CreatePublicThreads, channel.guild_id)) throw Errors.missingPermissions();
      if (world.channel(message.data.id)) throw Errors.threadAlreadyCreated();
      const { name, autoArchiveDuration } = this.#threadBody(body);
      return ok(world.createThread({ parentId: channel.id, name, ownerId: world.botUser.id, type: ChannelType.PublicThread, starterMessageId: message.data.id, ...(autoArchiveDuration ? { autoArchiveDuration } : {}) }), 201);
    });
    r('POST', '/channels/:channel/threads', ({ params, body }) => {
      const channel = this.#channel(params);
      if (channel.type !== ChannelType.GuildText) throw Errors.wrongChannelType();
      const { name, autoArchiveDuration } = this.#threadBody(body);
      const type = isRecord(body) ? body['type'] : undefined;
      if (type !== ChannelType.PublicThread && type !== ChannelType.PrivateThread) {
        const form = new FormErrorCollector();
        form.required(['type']);
        form.throwIfAny();
      }
      const threadType = type as ChannelType.PublicThread | ChannelType.PrivateThread;
      if (!world.botCan(threadType === ChannelType.PublicThread ? PermissionFlagsBits.CreatePublicThreads : PermissionFlagsBits.CreatePrivateThreads, channel.guild_id)) {
        throw Errors.missingPermissions();
      }
      const invitable = isRecord(body) && typeof body['invitable'] === 'boolean' ? body['invitable'] : undefined;
      return ok(world.createThread({ parentId: channel.id, name, ownerId: world.botUser.id, type: threadType, ...(autoArchiveDuration ? { autoArchiveDuration } : {}), ...(invitable !== undefined ? { invitable } : {}) }), 201);
    });
    r('PUT', '/channels/:channel/thread-members/@me', ({ params }) => {
      const channel = this.#channel(params);
      if (!world.isThread(channel)) throw Errors.wrongChannelType();
      return noContent;
    });
    r('DELETE', '/channels/:channel/thread-members/@me', ({ params }) => {
      const channel = this.#channel(params);
      if (!world.isThread(channel)) throw Errors.wrongChannelType();
      return noContent;
    });

    // Interactions: no bot authorization, the token in the path is the credential.
    r(
      'POST',
      '/interactions/:id/:token/callback',
      ({ params, body, files, query }) => this.host.interactions.callback(params['id'] ?? '', params['token'] ?? '', body, files, query.get('with_response') === 'true'),
      false,
    );
    r(
      'POST',
      '/webhooks/:app/:token',
      ({ params, body, files, query }) => {
        const record = this.host.interactions.webhook(params['app'] ?? '', params['token'] ?? '');
        const message = this.host.interactions.followup(record, body, files);
        return query.get('wait') === 'true' ? ok(message) : noContent;
      },
      false,
    );
    r('GET', '/webhooks/:app/:token/messages/:message', ({ params }) => ok(this.host.interactions.getMessage(this.#webhook(params), params['message'] ?? '')), false);
    r(
      'PATCH',
      '/webhooks/:app/:token/messages/:message',
      ({ params, body, files }) => ok(this.host.interactions.editMessage(this.#webhook(params), params['message'] ?? '', body, files)),
      false,
    );
    r(
      'DELETE',
      '/webhooks/:app/:token/messages/:message',
      ({ params }) => {
        this.host.interactions.deleteMessage(this.#webhook(params), params['message'] ?? '');
        return noContent;
      },
      false,
    );
  }

  #webhook(params: Readonly<Record<string, string>>) {
    return this.host.interactions.webhook(params['app'] ?? '', params['token'] ?? '');
  }

  /** The id of a guild the bot is in. */
  #guild(params: Readonly<Record<string, string>>): string {
    const guild = this.#world.guilds.get(params['guild'] ?? '');
    if (!guild) throw Errors.unknownGuild();
    if (!guild.botMember) throw Errors.missingAccess();
    return guild.id;
  }

  #channel(params: Readonly<Record<string, string>>): StoredChannel {
    const channel = this.#world.channel(params['channel'] ?? '');
    if (!channel) throw Errors.unknownChannel();
    // A group DM, or a channel of a guild the bot is not in: it only ever sees those through interactions.
    if (!this.#world.botCanAccess(channel)) throw Errors.missingAccess();
    return channel;
  }

  #message(params: Readonly<Record<string, string>>): StoredMessage {
    const channel = this.#channel(params);
    const message = this.#world.messages.get(params['message'] ?? '');
    if (!message || message.deleted || message.ephemeral || message.data.channel_id !== channel.id) throw Errors.unknownMessage();
    return message;
  }

  #requireSend(channel: StoredChannel): void {
    if (!TEXT_CHANNEL_TYPES.has(channel.type)) throw Errors.wrongChannelType();
    const guildId = this.#world.guildOf(channel);
    if (guildId === null) return;
    const needed = PermissionFlagsBits.ViewChannel | (this.#world.isThread(channel) ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages);
    if (!this.#world.botCan(needed, guildId)) throw Errors.missingPermissions();
  }

  #threadBody(body: unknown): { name: string; autoArchiveDuration: ThreadAutoArchiveDuration | undefined } {
    const form = new FormErrorCollector();
    const name = isRecord(body) ? body['name'] : undefined;
    if (typeof name !== 'string' || name.trim() === '') form.required(['name']);
    else if (textLength(name) > LIMITS.threadName) form.add(['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    const duration = isRecord(body) ? body['auto_archive_duration'] : undefined;
    if (duration !== undefined && duration !== null && ![60, 1440, 4320, 10080].includes(duration as number)) {
      form.add(['auto_archive_duration'], 'BASE_TYPE_CHOICES', 'Value must be one of {60, 1440, 4320, 10080}.');
    }
    form.throwIfAny();
    return { name: name as string, autoArchiveDuration: (duration ?? undefined) as ThreadAutoArchiveDuration | undefined };
  }

  #listMessages(channel: StoredChannel, query: URLSearchParams): unknown[] {
    const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 50) || 50));
    const before = query.get('before');
    const after = query.get('after');
    const around = query.get('around');
    let list = this.#world
      .channelMessages(channel.id)
      .filter((m) => !m.ephemeral)
      .sort((a, b) => (BigInt(b.data.id) > BigInt(a.data.id) ? 1 : -1));
    if (before) list = list.filter((m) => BigInt(m.data.id) < BigInt(before));
    if (after) list = list.filter((m) => BigInt(m.data.id) > BigInt(after)).reverse().slice(0, limit).reverse();
    if (around) {
      const index = list.findIndex((m) => BigInt(m.data.id) <= BigInt(around));
      const start = Math.max(0, (index < 0 ? list.length : index) - Math.floor(limit / 2));
      list = list.slice(start, start + limit);
    }
    return list.slice(0, limit).map((m) => this.#world.restMessage(m));
  }

  #createMessage(channel: StoredChannel, body: unknown, files: readonly RecordedFile[]): unknown {
    this.#requireSend(channel);
    const data = isRecord(body) ? body : {};
    const form = new FormErrorCollector();
    validateMessageFields(data, form);
    const reference = data['message_reference'];
    let body2 = data;
    if (isRecord(reference) && typeof reference['message_id'] === 'string') {
      const referenced = this.#world.messages.get(reference['message_id']);
      const channelId = typeof reference['channel_id'] === 'string' ? reference['channel_id'] : channel.id;
      if (!referenced || referenced.deleted || referenced.data.channel_id !== channelId || channelId !== channel.id) {
        if (reference['fail_if_not_exists'] === false) {
          const { message_reference: _ref, ...rest } = data;
          body2 = rest;
        } else {
          form.add(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
        }
      }
    }
    form.throwIfAny();
    if (isEmptyMessage({ ...body2, attachments: files.length > 0 ? files : body2['attachments'] })) throw Errors.emptyMessage();
    const flags = typeof body2['flags'] === 'number' ? body2['flags'] & (MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2 | MessageFlags.IsVoiceMessage) : 0;
    const message = this.#world.createBotMessage(channel, { ...body2, flags }, { via: 'channel', files });
    return this.#world.restMessage(message);
  }

  #editMessage(message: StoredMessage, body: unknown, files: readonly RecordedFile[]): unknown {
    if (message.data.author.id !== this.#world.botUser.id) throw Errors.cannotEditOthers();
    const edit = isRecord(body) ? body : {};
    const form = new FormErrorCollector();
    validateMessageFields(edit, form);
    form.throwIfAny();
    if (wouldBeEmptyAfterEdit(edit, message.data, files)) throw Errors.emptyMessage();
    return this.#world.restMessage(this.#world.editMessage(message, edit, files));
  }

  // ── commands ──

  #commands(params: Readonly<Record<string, string>>): APIApplicationCommand[] {
    if (params['app'] !== this.#world.application.id) throw Errors.unknownApplication();
    if (params['guild'] === undefined) return this.#world.globalCommands;
    this.#guild(params);
    let list = this.#world.guildCommands.get(params['guild']);
    if (!list) {
      list = [];
      this.#world.guildCommands.set(params['guild'], list);
    }
    return list;
  }

  #command(params: Readonly<Record<string, string>>): APIApplicationCommand {
    const command = this.#commands(params).find((c) => c.id === params['command']);
    if (!command) throw Errors.unknownCommand();
    return command;
  }

  #normalizeCommand(input: Record<string, unknown>, previous: APIApplicationCommand | undefined, guildId: string | undefined): APIApplicationCommand {
    const type = (input['type'] as ApplicationCommandType | undefined) ?? ApplicationCommandType.ChatInput;
    const pick = (key: string, fallback: unknown) => (input[key] === undefined ? fallback : input[key]);
    return {
      id: previous?.id ?? this.#world.ids.next(),
      application_id: this.#world.application.id,
      version: this.#world.ids.next(),
      type,
      name: String(input['name']),
      name_localizations: pick('name_localizations', null),
      description: type === ApplicationCommandType.ChatInput ? String(input['description'] ?? '') : '',
      description_localizations: pick('description_localizations', null),
      ...(Array.isArray(input['options']) && input['options'].length > 0 ? { options: structuredClone(input['options']) } : {}),
      default_member_permissions: pick('default_member_permissions', null),
      ...(guildId ? { guild_id: guildId } : { dm_permission: pick('dm_permission', true) }),
      contexts: pick('contexts', null),
      integration_types: pick('integration_types', [0]),
      nsfw: pick('nsfw', false),
    } as APIApplicationCommand;
  }

  #overwriteCommands(params: Readonly<Record<string, string>>, body: unknown): APIApplicationCommand[] {
    const list = this.#commands(params);
    if (!Array.isArray(body)) {
      const form = new FormErrorCollector();
      form.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
      form.throwIfAny();
      return [];
    }
    const form = new FormErrorCollector();
    validateCommands(body, form);
    if (body.length > 100) form.maxLength([], 100);
    form.throwIfAny();
    const next = body.map((input: Record<string, unknown>) => {
      const type = input['type'] ?? ApplicationCommandType.ChatInput;
      const previous = list.find((c) => c.name === input['name'] && c.type === type);
      return this.#normalizeCommand(input, previous, params['guild']);
    });
    list.splice(0, list.length, ...next);
    return structuredClone(next);
  }

  #createCommand(params: Readonly<Record<string, string>>, body: unknown): Result {
    const list = this.#commands(params);
    const form = new FormErrorCollector();
    validateCommands([body], form, true);
    form.throwIfAny();
    const input = body as Record<string, unknown>;
    const type = input['type'] ?? ApplicationCommandType.ChatInput;
    const index = list.findIndex((c) => c.name === input['name'] && c.type === type);
    const command = this.#normalizeCommand(input, list[index], params['guild']);
    if (index >= 0) list[index] = command;
    else list.push(command);
    return ok(command, index >= 0 ? 200 : 201);
  }

  #editCommand(params: Readonly<Record<string, string>>, body: unknown): APIApplicationCommand {
    const list = this.#commands(params);
    const index = list.findIndex((c) => c.id === params['command']);
    const previous = list[index];
    if (!previous) throw Errors.unknownCommand();
    const merged = { ...previous, ...(isRecord(body) ? body : {}) };
    const form = new FormErrorCollector();
    validateCommands([merged], form, true);
    form.throwIfAny();
    const command = this.#normalizeCommand(merged, previous, params['guild']);
    list[index] = command;
    return command;
  }
}

// ── bodies & faults ───────────────────────────────────────────────────────────────────

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function parseBody(raw: Buffer, contentType: string | undefined): Promise<{ body: unknown; files: RecordedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType?.startsWith('application/json')) {
    try {
      return { body: JSON.parse(raw.toString('utf8')) as unknown, files: [] };
    } catch {
      throw Errors.invalidJson();
    }
  }
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    let body: unknown;
    const files: RecordedFile[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') {
          try {
            body = JSON.parse(value) as unknown;
          } catch {
            throw Errors.invalidJson();
          }
        }
        continue;
      }
      const data = Buffer.from(await value.arrayBuffer());
      files.push({ field, filename: value.name, contentType: value.type || 'application/octet-stream', size: data.length, data });
    }
    return { body, files };
  }
  return { body: raw.toString('utf8'), files: [] };
}

function faultResult(spec: RestFaultSpec): Result {
  switch (spec.status) {
    case 429: {
      const retryAfter = spec.retryAfterSeconds ?? 0.1;
      const headers: Record<string, string> = spec.global
        ? { 'retry-after': String(retryAfter), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' }
        : {
            'retry-after': String(retryAfter),
            'x-ratelimit-limit': '5',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String((Date.now() + retryAfter * 1000) / 1000),
            'x-ratelimit-reset-after': String(retryAfter),
            'x-ratelimit-bucket': 'fake-bucket',
            'x-ratelimit-scope': 'user',
          };
      return { status: 429, headers, body: { message: 'You are being rate limited.', retry_after: retryAfter, global: spec.global ?? false, ...(spec.global ? { code: 0 } : {}) } };
    }
    case 500:
      return { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
    case 502:
      return { status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>', headers: { 'content-type': 'text/html' } };
    case 503:
      return { status: 503, body: 'upstream connect error or disconnect/reset before headers. reset reason: overflow' };
  }
}
