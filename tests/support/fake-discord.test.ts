import { once } from 'node:events';
import zlib from 'node:zlib';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonStyle,
  ChannelType,
  Client,
  ComponentType,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  MessageType,
  Partials,
  type ClientOptions,
  type Message,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './fake-discord/index.js';

const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];

const fakes: FakeDiscord[] = [];
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fake(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const f = await startFakeDiscord(options);
  fakes.push(f);
  return f;
}

function client(f: FakeDiscord, options: Partial<ClientOptions> = {}): Client {
  const c = new Client({ intents: INTENTS, partials: [Partials.Channel], rest: { api: f.apiUrl }, ...options });
  clients.push(c);
  return c;
}

/** Logs in and waits for the client's own ready event (all guilds received). */
async function ready(c: Client, token: string): Promise<Client<true>> {
  const isReady = once(c, Events.ClientReady);
  await c.login(token);
  await isReady;
  return c as Client<true>;
}

/** The next message the client itself emits that satisfies `predicate`. */
function clientMessage(c: Client, predicate: (m: Message) => boolean): Promise<Message> {
  return new Promise((resolve) => {
    const listener = (m: Message) => {
      if (!predicate(m)) return;
      c.off(Events.MessageCreate, listener);
      resolve(m);
    };
    c.on(Events.MessageCreate, listener);
  });
}

/** The bot under test for most cases: replies to mentions and DMs with "echo: <text>". */
function echoOnMention(c: Client): void {
  c.on(Events.MessageCreate, (message: Message) => {
    if (message.author.bot) return;
    if (message.channel.type !== ChannelType.DM && !message.mentions.users.has(c.user?.id ?? '')) return;
    const text = message.content.replace(/<@!?\d+>\s*/g, '');
    void message.reply(`echo: ${text}`);
  });
}

const COMMANDS = [
  {
    name: 'ask',
    description: 'Ask about the article',
    options: [{ type: ApplicationCommandOptionType.String, name: 'question', description: 'Your question', required: true, autocomplete: true }],
  },
  { name: 'slow', description: 'Deferred answer' },
  { name: 'Quote', type: ApplicationCommandType.Message },
] as const;

describe('fake Discord: login and gateway', () => {
  it('lets an unmodified client log in, identify and cache the guild, channels and itself', async () => {
    const f = await fake();
    const c = await ready(client(f), f.token);

    expect(c.user.id).toBe(f.botUser.id);
    expect(c.application.id).toBe(f.application.id);
    const guild = c.guilds.cache.get(f.guild.id);
    expect(guild?.available).toBe(true);
    expect(guild?.name).toBe(f.guild.name);
    expect(guild?.channels.cache.get(f.channels.general.id)?.type).toBe(ChannelType.GuildText);
    expect(guild?.channels.cache.get(f.channels.random.id)?.name).toBe('random');
    expect(guild?.members.me?.id).toBe(f.botUser.id);
    expect(f.identifyCount).toBe(1);
    expect(f.lastIdentify?.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.DirectMessages);
    expect(f.connected).toBe(true);
    const gatewayBot = await f.waitFor((r) => r.path === '/gateway/bot');
    expect(gatewayBot.headers['authorization']).toBe(`Bot ${f.token}`);
    expect(gatewayBot.status).toBe(200);
  });

  it('rejects a bad token (REST 401, so login rejects) and disallowed privileged intents (4014)', async () => {
    const f = await fake();
    await expect(client(f).login('not-the-token')).rejects.toThrow(/token/i);
    expect((await f.waitFor((r) => r.path === '/gateway/bot')).status).toBe(401);

    const greedy = client(f, { intents: [...INTENTS, GatewayIntentBits.MessageContent] });
    await expect(greedy.login(f.token)).rejects.toThrow(/disallowed intents/i);
    const closed = await f.waitForGatewayEvent((e) => e.type === 'close', { includePast: true });
    expect(closed).toMatchObject({ code: 4014, by: 'server' });

    const res = await fetch(`${f.apiUrl}/v10/users/@me`, { headers: { authorization: 'Bot wrong' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: '401: Unauthorized', code: 0 });
  });

  it('resumes after closeGateway(4000) and replays a message dispatched during the disconnect', async () => {
    const f = await fake();
    const c = await ready(client(f), f.token);
    echoOnMention(c);
    const alice = f.createUser('alice');

    await f.closeGateway(4000);
    expect(f.connected).toBe(false);
    const asked = f.sendMessage({ author: alice, content: 'while away', mentionBot: true });
    const reply = await f.nextMessage((m) => m.message_reference?.message_id === asked.id);

    expect(reply.content).toBe('echo: while away');
    expect(f.resumeCount).toBe(1);
    expect(f.identifyCount).toBe(1);
    const resume = f.gatewayEvents.find((e) => e.type === 'resume');
    expect(resume).toMatchObject({ ok: true, replayed: 1 });
    expect(f.gatewayEvents.some((e) => e.type === 'connect' && e.url.startsWith('/resume'))).toBe(true);
  });

  it('resumes after op 7 RECONNECT and after an abnormal socket termination', async () => {
    const f = await fake();
    const c = await ready(client(f), f.token);
    echoOnMention(c);
    const alice = f.createUser('alice');

    expect(f.sendReconnect()).toBe(1);
    const first = f.sendMessage({ author: alice, content: 'after reconnect', mentionBot: true });
    expect((await f.nextMessage((m) => m.message_reference?.message_id === first.id)).content).toBe('echo: after reconnect');
    expect(f.resumeCount).toBe(1);

    await f.waitForSession();
    await f.closeGateway('abnormal');
    const second = f.sendMessage({ author: alice, content: 'after 1006', mentionBot: true });
    expect((await f.nextMessage((m) => m.message_reference?.message_id === second.id)).content).toBe('echo: after 1006');
    expect(f.resumeCount).toBe(2);
    expect(f.identifyCount).toBe(1);
  });

  it('re-identifies after a non-resumable INVALID_SESSION, dropping what was dispatched in between', async () => {
    const f = await fake();
    // discord.js throttles IDENTIFY to one per 5 s; a no-op throttler keeps the test fast.
    const c = await ready(client(f, { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) } }), f.token);
    echoOnMention(c);
    const alice = f.createUser('alice');

    f.sendInvalidSession(false);
    const lost = f.sendMessage({ author: alice, content: 'lost', mentionBot: true });
    await f.waitForSession({ resumed: false });
    const kept = f.sendMessage({ author: alice, content: 'kept', mentionBot: true });
    expect((await f.nextMessage((m) => m.message_reference?.message_id === kept.id)).content).toBe('echo: kept');

    expect(f.identifyCount).toBe(2);
    expect(f.gatewayEvents.some((e) => e.type === 'dropped' && e.t === 'MESSAGE_CREATE')).toBe(true);
    expect(f.messages.some((m) => m.message_reference?.message_id === lost.id)).toBe(false);
  });

  it('closes a raw IDENTIFY with a wrong token (4004) and answers a RESUME of an unknown session with op 9', async () => {
    const f = await fake();
    const first = new WebSocket(`${f.gatewayUrl}/?v=10&encoding=json`);
    await once(first, 'message'); // HELLO
    first.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: { os: 'linux', browser: 'x', device: 'x' } } }));
    const [code] = (await once(first, 'close')) as [number];
    expect(code).toBe(4004);

    const second = new WebSocket(`${f.gatewayUrl}/?v=10&encoding=json`);
    await once(second, 'message');
    const answer = once(second, 'message') as Promise<[Buffer]>;
    second.send(JSON.stringify({ op: 6, d: { token: f.token, session_id: 'nope', seq: 3 } }));
    expect(JSON.parse((await answer)[0].toString('utf8'))).toMatchObject({ op: 9, d: false });
    second.close();
    await once(second, 'close');
  });

  it('speaks zlib-stream when asked to', async () => {
    const f = await fake({ heartbeatIntervalMs: 1234 });
    const ws = new WebSocket(`${f.gatewayUrl}/?v=10&encoding=json&compress=zlib-stream`);
    const inflate = zlib.createInflate();
    const hello = new Promise<unknown>((resolve) => inflate.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString('utf8')))));
    ws.on('message', (data: Buffer) => inflate.write(data));
    expect(await hello).toMatchObject({ op: 10, d: { heartbeat_interval: 1234 } });
    ws.close();
    await once(ws, 'close');
  });
});

describe('fake Discord: messages', () => {
  it('delivers a mention; message.reply lands in the channel and comes back as MESSAGE_CREATE', async () => {
    const f = await fake();
    const c = await ready(client(f), f.token);
    echoOnMention(c);
    const seenOwn = new Promise<Message>((resolve) => c.on(Events.MessageCreate, (m) => m.author.id === c.user.id && resolve(m)));
    const alice = f.createUser('alice');

    const asked = f.sendMessage({ author: alice, content: 'what happened?', mentionBot: true });
    const reply = await f.nextMessage((m) => m.message_reference?.message_id === asked.id);

    expect(reply).toMatchObject({ content: 'echo: what happened?', channel_id: f.channels.general.id, guild_id: f.guild.id, via: 'channel', type: 19 });
    expect(reply.author.id).toBe(f.botUser.id);
    expect(reply.mentions.map((u) => u.id)).toEqual([alice.id]); // reply pings the author by default
    const own = await seenOwn;
    expect(own.id).toBe(reply.id);
    expect(own.channel.id).toBe(f.channels.general.id);
  });

  it('delivers a DM (partial channel) and the reply goes to the DM channel', async () => {
    const f = await fake();
    const c = await ready(client(f), f.token);
    echoOnMention(c);
    const bob = f.createUser('bob');
    const received = clientMessage(c, (m) => m.author.id === bob.id);

    const asked = f.sendMessage({ author: bob, content: 'hi in private', dm: true });
    const message = await received;
    expect(message.channel.type).toBe(ChannelType.DM);
    expect(message.content).toBe('hi in private');

    const reply = await f.nextMessage((m) => m.message_reference?.message_id === asked.id);
    expect(reply.channel_id).toBe(f.dmChannel(bob).id);
    expect(reply.guild_id).toBeUndefined();
    expect(reply.content).toBe('echo: hi in private');
  });

  it('blanks content without the MessageContent intent unless the bot is mentioned; keeps it with the intent', async () => {
    const f = await fake({ privilegedIntents: GatewayIntentBits.MessageContent });
    const blind = await ready(client(f), f.token);
    const seen: Message[] = [];
    blind.on(Events.MessageCreate, (m) => void seen.push(m));
    const alice = f.createUser('alice');

    f.sendMessage({ author: alice, content: 'not for you' });
    f.sendMessage({ author: alice, content: 'for you', mentionBot: true });
    while (seen.length < 2) await once(blind, Events.MessageCreate);
    expect(seen.map((m) => m.content)).toEqual(['', `<@${f.botUser.id}> for you`]);
    await blind.destroy();

    const sighted = await ready(client(f, { intents: [...INTENTS, GatewayIntentBits.MessageContent] }), f.token);
    const received = once(sighted, Events.MessageCreate) as Promise<[Message]>;
    f.sendMessage({ author: alice, content: 'visible now' });
    expect((await received)[0].content).toBe('visible now');
  });

  it('makes a reply mention the author replied to (so the bot reads it without the intent) unless the replier turns that off', async () => {
    const f = await fake();
    const c = await ready(client(f), f.token);
    const general = c.channels.cache.get(f.channels.general.id);
    if (!general?.isSendable()) throw new Error('general is not sendable');
    const answer = await general.send({ content: 'an answer', allowedMentions: { parse: [] } });
    const alice = f.createUser('alice');
    const seen: Message[] = [];
    c.on(Events.MessageCreate, (m) => void (m.author.id === alice.id && seen.push(m)));

    f.sendMessage({ author: alice, content: 'what did he say?', replyTo: answer });
    f.sendMessage({ author: alice, content: 'and quietly?', replyTo: answer, mentionRepliedUser: false });
    while (seen.length < 2) await once(c, Events.MessageCreate);
    const [pinging, quiet] = seen;
    expect({ type: pinging?.type, content: pinging?.content, reference: pinging?.reference?.messageId, repliedUser: pinging?.mentions.repliedUser?.id, mentioned: [...(pinging?.mentions.users.keys() ?? [])] }).toEqual({
      type: MessageType.Reply,
      content: 'what did he say?',
      reference: answer.id,
      repliedUser: f.botUser.id,
      mentioned: [f.botUser.id],
    });
    expect({ content: quiet?.content, repliedUser: quiet?.mentions.repliedUser?.id, mentioned: [...(quiet?.mentions.users.keys() ?? [])] }).toEqual({ content: '', repliedUser: f.botUser.id, mentioned: [] });
    // The message replied to comes with the reply (the bot's own, so never blanked) and is cached.
    expect(general.messages.cache.get(answer.id)?.content).toBe('an answer');
  });

  it('rejects what Discord rejects: 50035 with field errors, 50006 for an empty message', async () => {
    const f = await fake();
    const c = await ready(client(f), f.token);
    const general = c.channels.cache.get(f.channels.general.id);
    if (!general?.isSendable()) throw new Error('general is not sendable');

    const tooLong = await general.send('x'.repeat(2001)).catch((e: unknown) => e);
    expect(tooLong).toBeInstanceOf(DiscordAPIError);
    expect(tooLong).toMatchObject({ code: 50035, status: 400, rawError: { errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } });

    const bigEmbed = await general.send({ embeds: [{ title: 't'.repeat(257), description: 'd'.repeat(4097) }] }).catch((e: unknown) => e);
    expect(bigEmbed).toMatchObject({ code: 50035, rawError: { errors: { embeds: { 0: { title: {}, description: {} } } } } });

    const manyFields = await general.send({ embeds: [{ fields: Array.from({ length: 26 }, (_, i) => ({ name: `n${i}`, value: 'v' })) }] }).catch((e: unknown) => e);
    expect(manyFields).toMatchObject({ code: 50035 });

    const total = await general.send({ embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }] }).catch((e: unknown) => e);
    expect(total).toMatchObject({ code: 50035, rawError: { errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } } } });

    const empty = await general.send({ content: '' }).catch((e: unknown) => e);
    expect(empty).toMatchObject({ code: 50006 });
    expect(f.messages).toHaveLength(0);
  });

  it('waits out a 429 (and retries 5xx) so the message arrives exactly once', async () => {
    const f = await fake();
    const c = await ready(client(f), f.token);
    const general = c.channels.cache.get(f.channels.general.id);
    if (!general?.isSendable()) throw new Error('general is not sendable');

    const limited = f.injectRestFaults({ match: { method: 'POST', path: /^\/channels\/\d+\/messages$/ }, status: 429, count: 1, retryAfterSeconds: 0.2 });
    const sent = await general.send('patience');
    expect(limited.remaining).toBe(0);
    expect(f.messages.filter((m) => m.content === 'patience')).toHaveLength(1);
    const [rejected, accepted] = f.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    expect(rejected).toMatchObject({ status: 429, fault: true });
    expect(accepted?.status).toBe(200);
    expect((accepted?.at ?? 0) - (rejected?.at ?? 0)).toBeGreaterThanOrEqual(200);
    expect(sent.id).toBe(f.messages[0]?.id);

    const global = f.injectRestFaults({ match: { method: 'POST' }, status: 429, count: 1, retryAfterSeconds: 0.1, global: true });
    await general.send('global');
    await global.exhausted();
    f.injectRestFaults({ match: { path: /messages$/ }, status: 502, count: 2 });
    await general.send('flaky');
    expect(f.messages.map((m) => m.content)).toEqual(['patience', 'global', 'flaky']);
  });

  it('creates threads from a message and records typing; user threads reach the bot', async () => {
    const f = await fake();
    const c = await ready(client(f), f.token);
    c.on(Events.MessageCreate, (message) => {
      if (message.author.bot || !message.mentions.users.has(c.user?.id ?? '')) return;
      void (async () => {
        await message.channel.sendTyping();
        const thread = await message.startThread({ name: 'Discussion' });
        await thread.send('in the thread');
      })();
    });
    const alice = f.createUser('alice');

    const asked = f.sendMessage({ author: alice, content: 'start a thread', mentionBot: true });
    const inThread = await f.nextMessage((m) => m.content === 'in the thread');
    expect(inThread.channel_id).toBe(asked.id); // a thread started from a message takes its id
    expect(f.threads).toMatchObject([{ id: asked.id, name: 'Discussion', parent_id: f.channels.general.id, type: ChannelType.PublicThread }]);
    expect(f.typing.map((t) => t.channelId)).toEqual([f.channels.general.id]);

    const userThread = f.createThread({ author: alice, name: 'User thread' });
    const received = clientMessage(c, (m) => m.author.id === alice.id);
    f.sendMessage({ author: alice, channelId: userThread.id, content: 'hello thread' });
    const message = await received;
    expect(message.channel.isThread()).toBe(true);
    expect(message.channelId).toBe(userThread.id);
    expect(message.content).toBe(''); // no MessageContent intent, no mention
  });
});

describe('fake Discord: interactions', () => {
  async function withCommands(options: FakeDiscordOptions = {}) {
    const f = await fake(options);
    const c = await ready(client(f), f.token);
    await c.application.commands.set(COMMANDS.map((x) => ({ ...x })) as never);
    await f.commandsRegistered((cmds) => cmds.global.length === 3);
    return { f, c, alice: f.createUser('alice') };
  }

  it('registers commands, runs a slash command answered with interaction.reply', async () => {
    const { f, c, alice } = await withCommands();
    expect(f.commands.global.map((x) => x.name)).toEqual(['ask', 'slow', 'Quote']);
    expect(f.commands.global.every((x) => /^\d+$/.test(x.id))).toBe(true);
    c.on(Events.InteractionCreate, (i) => {
      if (i.isChatInputCommand() && i.commandName === 'ask') void i.reply({ content: `Q: ${i.options.getString('question', true)}` });
    });

    const handle = f.slashCommand({ user: alice, name: 'ask', options: { question: 'why?' } });
    const reply = await handle.reply();
    expect(reply).toMatchObject({ content: 'Q: why?', via: 'interaction', interaction_id: handle.id, type: 20, ephemeral: false });
    expect((await handle.acknowledged()).type).toBe(4);
    expect(() => f.slashCommand({ user: alice, name: 'nope' })).toThrow(/not registered/);
  });

  it('handles deferReply + editReply, and a follow-up after a deferral replaces "thinking…"', async () => {
    const { f, c, alice } = await withCommands();
    c.on(Events.InteractionCreate, (i) => {
      if (!i.isChatInputCommand() || i.commandName !== 'slow') return;
      void (async () => {
        await i.deferReply({ flags: MessageFlags.Ephemeral });
        if (i.user.username === 'alice') await i.editReply('done thinking');
        else await i.followUp('followed up');
      })();
    });

    const handle = f.slashCommand({ user: alice, name: 'slow' });
    const reply = await handle.reply();
    expect(reply.content).toBe('done thinking');
    expect(handle.state).toMatchObject({ callback: { type: 5 }, ephemeral: true, expired: false });
    expect(handle.state.edits).toHaveLength(1);
    expect(reply.flags).toBe(MessageFlags.Ephemeral);

    const carol = f.createUser('carol');
    const second = f.slashCommand({ user: carol, name: 'slow' });
    const replaced = await second.reply();
    expect(replaced.content).toBe('followed up');
    expect(replaced.id).toBe(second.state.original?.id);
    expect(second.state.followups).toHaveLength(0);
  });

  it('supports withResponse, fetchReply, follow-ups with files, edits and deletes, in a DM', async () => {
    const { f, c, alice } = await withCommands();
    c.on(Events.InteractionCreate, (i) => {
      if (!i.isChatInputCommand() || i.commandName !== 'ask') return;
      void (async () => {
        const response = await i.reply({ content: 'first', withResponse: true });
        const fetched = await i.fetchReply();
        const follow = await i.followUp({ content: `same: ${String(response.resource?.message?.id === fetched.id)}`, files: [{ attachment: Buffer.from('hello'), name: 'note.txt' }] });
        await i.editReply('first, edited');
        await i.editReply({ message: follow, content: 'follow, edited' });
        await i.deleteReply();
      })();
    });

    const handle = f.slashCommand({ user: alice, name: 'ask', options: { question: 'q' }, dm: true });
    const first = await handle.reply();
    expect(first).toMatchObject({ content: 'first', channel_id: f.dmChannel(alice).id });
    const follow = await handle.followup(0);
    expect(follow.content).toBe('same: true');
    expect(follow.attachments[0]).toMatchObject({ filename: 'note.txt', size: 5 });
    expect((await handle.edit(0)).content).toBe('first, edited');
    await f.waitFor((r) => r.method === 'DELETE' && r.path.endsWith('/messages/@original'));
    expect(handle.state.original?.deleted).toBe(true);
    expect(handle.state.followups.map((m) => m.content)).toEqual(['follow, edited']);
    const upload = f.requests.find((r) => r.files.length > 0);
    expect(upload?.files[0]?.data.toString('utf8')).toBe('hello');
    expect(upload?.body).toMatchObject({ content: 'same: true', attachments: [{ id: '0' }] }); // discord.js numbers the files; the filename comes from the part
    expect(f.requests.find((r) => r.path.endsWith('/callback'))?.query).toEqual({ with_response: 'true' });
  });

  it('refuses webhook edits once the interaction token has expired (50027)', async () => {
    const { f, c, alice } = await withCommands();
    const handle = f.slashCommand({ user: alice, name: 'slow' });
    const failure = new Promise<unknown>((resolve) => {
      c.on(Events.InteractionCreate, (i) => {
        if (!i.isChatInputCommand()) return;
        void (async () => {
          await i.deferReply();
          handle.expireToken();
          resolve(await i.editReply('too late').catch((e: unknown) => e));
        })();
      });
    });
    expect(await failure).toMatchObject({ code: 50027, status: 401 });
  });

  it('answers autocomplete with respond()', async () => {
    const { f, c, alice } = await withCommands();
    c.on(Events.InteractionCreate, (i) => {
      if (!i.isAutocomplete()) return;
      const typed = i.options.getFocused();
      void i.respond([`${typed} who`, `${typed} when`].map((name) => ({ name, value: name })));
    });

    const handle = f.autocomplete({ user: alice, name: 'ask', focused: { name: 'question', value: 'said' } });
    expect(await handle.choices()).toEqual([
      { name: 'said who', value: 'said who' },
      { name: 'said when', value: 'said when' },
    ]);
  });

  it('answers a late callback with 10062 and a second callback with 40060', async () => {
    const { f, c, alice } = await withCommands({ interactionDeadlineMs: 500 });
    const errors: unknown[] = [];
    const late = f.slashCommand({ user: alice, name: 'ask', options: { question: 'late?' } });
    const twice = f.slashCommand({ user: alice, name: 'ask', options: { question: 'twice?' } });
    const done = new Promise<void>((resolve) => {
      c.on(Events.InteractionCreate, (i) => {
        if (!i.isChatInputCommand()) return;
        void (async () => {
          const q = i.options.getString('question');
          if (q === 'late?') {
            await late.expired();
            await i.reply('too late').catch((e: unknown) => errors.push(e));
          } else {
            await i.reply('once');
            // discord.js refuses a second reply itself, so go around it like a buggy bot would.
            await c.rest.post(`/interactions/${i.id}/${i.token}/callback`, { body: { type: 4, data: { content: 'again' } }, auth: false }).catch((e: unknown) => errors.push(e));
          }
          if (errors.length === 2) resolve();
        })();
      });
    });

    await done;
    expect(errors).toHaveLength(2);
    const codes = errors.map((e) => (e instanceof DiscordAPIError ? e.code : e));
    expect(codes.sort()).toEqual([10062, 40060]);
    expect(late.state.expired).toBe(true);
    expect(late.state.rejectedCallbacks).toMatchObject([{ reason: 'late', status: 404, code: 10062 }]);
    await expect(late.reply()).rejects.toThrow(/expired/);
    expect(twice.state.rejectedCallbacks).toMatchObject([{ reason: 'duplicate', code: 40060 }]);
    expect((await twice.reply()).content).toBe('once');
  });

  it('clicks a button on a bot message (update) and runs a message command (ephemeral reply)', async () => {
    const { f, c, alice } = await withCommands();
    c.on(Events.MessageCreate, (m) => {
      if (m.author.bot || !m.mentions.users.has(c.user?.id ?? '')) return;
      void m.reply({
        content: 'answer',
        components: [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: 'more', label: 'More' }] }],
      });
    });
    c.on(Events.InteractionCreate, (i) => {
      if (i.isButton()) void i.update({ content: 'more detail', components: [] });
      if (i.isMessageContextMenuCommand()) void i.reply({ content: `quoted: ${i.targetMessage.content}`, flags: MessageFlags.Ephemeral });
    });

    const asked = f.sendMessage({ author: alice, content: 'tell me', mentionBot: true });
    const answer = await f.nextMessage((m) => m.message_reference?.message_id === asked.id);
    const click = f.button({ user: alice, customId: 'more', message: answer });
    const updated = await click.reply();
    expect(updated).toMatchObject({ id: answer.id, content: 'more detail', components: [], version: 1 });
    expect(() => f.button({ user: alice, customId: 'more', message: answer })).toThrow(/no component/);

    const quote = f.messageCommand({ user: alice, name: 'Quote', target: asked });
    const quoted = await quote.reply();
    expect(quoted).toMatchObject({ content: `quoted: <@${f.botUser.id}> tell me`, ephemeral: true });
    expect(f.channelMessages(f.channels.general.id).some((m) => m.id === quoted.id)).toBe(false);
  });
});
