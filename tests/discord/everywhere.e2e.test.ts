import type { APIUser } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFeedback } from '../../src/discord/feedback.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import type { InteractionContext } from '../support/fake-discord/index.js';
import { button, onlyEmbed, refusedRequests } from './e2e-helpers.js';

/**
 * Slash commands wherever Discord allows them. Registered globally (without DISCORD_GUILD_ID) with
 * guild and user install and the guild, bot-DM and private-channel contexts, the commands work in
 * a DM with the bot, in a group DM the bot is not in (reached only because a user installed the
 * app to their account: no guild, no channel the bot can see or fetch), and in a server the bot
 * was never added to. The fake refuses a command whose registration does not allow the place.
 */

const QUESTION = 'Who took control of three refineries?';
const QUOTE = 'On Friday, the German government took control of three refineries owned by Russian oil company Rosneft.';

let h: BotHarness;
let alice: APIUser;
let bob: APIUser;
beforeAll(async () => {
  // Global commands (no DISCORD_GUILD_ID); alice asks more often than the default limit allows.
  h = await startBotHarness({ env: { DISCORD_GUILD_ID: '', RATE_LIMIT: '100/30s' } });
  alice = h.fake.createUser('alice');
  bob = h.fake.createUser('bob');
});
afterAll(async () => h?.stop());
// Nothing the bot sent was refused: in particular it never tried to fetch or post in a channel it cannot see.
afterEach(() => expect(refusedRequests(h)).toEqual([]));

const places: { name: string; where: () => { context: Omit<InteractionContext, 'user'>; channelId: string; postAs: (author: APIUser, content: string) => { id: string } } }[] = [
  {
    name: 'a DM with the bot',
    where: () => ({
      context: { dm: true },
      channelId: h.fake.dmChannel(alice).id,
      postAs: (author, content) => h.fake.sendMessage({ author, content, dm: true }),
    }),
  },
  {
    name: 'a group DM the bot is not in (private channel)',
    where: () => {
      const group = h.fake.createGroupDm([alice, bob], 'reading club');
      return { context: { channelId: group.id }, channelId: group.id, postAs: (author, content) => h.fake.sendMessage({ author, content, channelId: group.id }) };
    },
  },
];

describe.each(places)('in $name', ({ where }) => {
  let place: ReturnType<(typeof places)[number]['where']>;
  beforeAll(() => {
    place = where();
  });

  it('/ask answers in the channel; Show passages and 👍 work on that answer', async () => {
    const reply = await h.fake.slashCommand({ user: alice, ...place.context, name: 'ask', options: { question: QUESTION } }).reply();
    expect(reply.channel_id).toBe(place.channelId);
    expect(reply.ephemeral).toBe(false);
    expect(onlyEmbed(reply).description).toContain(QUOTE);

    const passages = await h.fake.button({ user: alice, message: reply, customId: button(reply, 'Show passages') }).reply();
    expect(passages.ephemeral).toBe(true);
    expect(passages.embeds.map((e) => e.title)).toContain('¶15');

    const vote = await h.fake.button({ user: alice, message: reply, customId: button(reply, '👍') }).reply();
    expect(vote.content).toBe('Thanks — recorded 👍');
    const { records } = await readFeedback(h.config.discord.feedbackPath);
    expect(records.find((r) => r.messageId === reply.id)).toMatchObject({ vote: 'up', question: QUESTION, guildId: null, channelId: place.channelId });
  });

  it('/passage shows one paragraph', async () => {
    const reply = await h.fake.slashCommand({ user: alice, ...place.context, name: 'passage', options: { number: 15 } }).reply();
    expect(reply.channel_id).toBe(place.channelId);
    expect(onlyEmbed(reply).title).toBe('¶15');
    expect(onlyEmbed(reply).description).toContain('German government took control of three refineries');
  });

  it('"Find in article" on a message there answers privately', async () => {
    const target = place.postAs(alice, QUESTION);
    const reply = await h.fake.messageCommand({ user: alice, name: 'Find in article', target }).reply();
    expect(reply.ephemeral).toBe(true);
    expect(onlyEmbed(reply).description).toContain(QUOTE);
  });
});

it('/ask works in a server the bot was never added to, for a user who installed the app', async () => {
  const server = h.fake.createGuild({ name: 'Book club', botMember: false });
  h.fake.addMember(alice, server.id);
  const ask = h.fake.slashCommand({ user: alice, channelId: server.general.id, name: 'ask', options: { question: QUESTION } });
  expect(ask.payload).toMatchObject({ guild_id: server.id, authorizing_integration_owners: { 1: alice.id } });
  const reply = await ask.reply();
  expect(onlyEmbed(reply).description).toContain(QUOTE);
});

it('with DISCORD_GUILD_ID the commands are that server\'s only: they do not exist in DMs', async () => {
  const guildOnly = await startBotHarness({ service: h.service });
  try {
    const carol = guildOnly.fake.createUser('carol');
    expect(() => guildOnly.fake.slashCommand({ user: carol, dm: true, name: 'ask', options: { question: QUESTION } })).toThrow(/has not registered .* "ask" usable in DMs/);
    // In the server itself they work as always.
    const reply = await guildOnly.fake.slashCommand({ user: carol, name: 'ask', options: { question: QUESTION } }).reply();
    expect(onlyEmbed(reply).description).toContain(QUOTE);
  } finally {
    await guildOnly.stop();
  }
});
