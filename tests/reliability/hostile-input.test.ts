import type { APIUser } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_QUESTION_CHARS } from '../../src/limits.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import type { BotMessage } from '../support/fake-discord/index.js';
import { CANARY_TOKEN, isAnswer, KNOWN_QUESTION, KNOWN_QUOTE, leakedLines, renderableMentions, shownText, unescapedOccurrences } from './helpers.js';

/**
 * Hostile and odd questions, each asked through /ask, an @mention and a DM. Whatever comes in, the
 * asker gets exactly one reply — an answer, or a polite refusal that states the limit when length
 * is the problem — which pings no one and shows no user-supplied mention or markdown as such.
 */

type Channel = 'slash' | 'mention' | 'dm';
const CHANNELS: readonly Channel[] = ['slash', 'mention', 'dm'];

/** 'answer': an answer embed (answered or "not covered"); a RegExp: a text refusal matching it. */
type Outcome = 'answer' | RegExp;

interface Ids {
  readonly bot: string;
  readonly alice: string;
  readonly bob: string;
  readonly everyoneRole: string;
  readonly botRole: string;
}

interface HostileCase {
  readonly name: string;
  /** What the user types — for a mention, after the bot's mention. Per channel when they differ. */
  readonly input: (ids: Ids) => string | Readonly<Record<Channel, string>>;
  readonly outcome: Outcome | Readonly<Record<Channel, Outcome>>;
  /** Text that would render or ping if echoed verbatim. */
  readonly mustNotShow?: readonly string[];
  /** Passage the answer must cite (the hostile wrapping must not stop it from being found). */
  readonly cites?: number;
}

const ASK_PROMPT = /Mention me with a question|Send me a question in words/;
const PLEASE_ASK = /^Please ask a question about the article\.$/;
const NO_WORDS = /^That has no words to search for; please ask a question in words\.$/;
const TOO_LONG = new RegExp(`^That question is \\d+ characters long; the limit is ${MAX_QUESTION_CHARS}\\.$`);

/** `text` repeated and cut to exactly `length` code units, ending in "?". */
function padTo(text: string, length: number): string {
  return `${text.repeat(Math.ceil(length / text.length)).slice(0, length - 1)}?`;
}

/** The longest message a user can send: 4000 characters, the mention included. */
const MESSAGE_MAX = 4000;

const CASES: readonly HostileCase[] = [
  {
    name: 'whitespace only',
    input: () => ' \t \n  ',
    outcome: { slash: PLEASE_ASK, mention: ASK_PROMPT, dm: ASK_PROMPT },
  },
  {
    // A slash option cannot be empty (it is required): there the question is the mention itself.
    name: 'only a mention of the bot',
    input: ({ bot }) => ({ slash: `<@${bot}>`, mention: '', dm: `<@${bot}>` }),
    outcome: { slash: PLEASE_ASK, mention: ASK_PROMPT, dm: ASK_PROMPT },
  },
  {
    name: `at the limit: /ask at exactly ${MAX_QUESTION_CHARS} characters, messages at ${MESSAGE_MAX}`,
    input: ({ bot }) => ({
      slash: padTo(`${KNOWN_QUESTION} `, MAX_QUESTION_CHARS),
      mention: padTo(`${KNOWN_QUESTION} `, MESSAGE_MAX - `<@${bot}> `.length),
      dm: padTo(`${KNOWN_QUESTION} `, MESSAGE_MAX),
    }),
    outcome: { slash: 'answer', mention: TOO_LONG, dm: TOO_LONG },
  },
  {
    name: '@everyone and @here',
    input: () => `@everyone @here ${KNOWN_QUESTION}`,
    outcome: 'answer',
    cites: 15,
  },
  {
    name: 'role mentions (the @everyone role and the bot’s own role)',
    input: ({ everyoneRole, botRole }) => `<@&${everyoneRole}> <@&${botRole}> ${KNOWN_QUESTION}`,
    outcome: 'answer',
    cites: 15,
  },
  {
    name: 'user mentions',
    input: ({ alice, bob }) => `<@${alice}> <@!${bob}> ${KNOWN_QUESTION}`,
    outcome: 'answer',
    cites: 15,
  },
  {
    name: 'markdown and a masked link',
    input: () => `# Who took **control** of\n> three __refineries__? [click here](https://evil.example/phish) ||spoiler|| ~~x~~ -# small`,
    outcome: 'answer',
    mustNotShow: ['[click here](https://evil.example/phish)', '**control**', '__refineries__', '||spoiler||', '~~x~~'],
  },
  {
    name: 'a code block',
    input: () => '```js\nconsole.log("who took control of three refineries?")\n```',
    outcome: 'answer',
    mustNotShow: ['```'],
  },
  {
    name: 'emoji only',
    input: () => '🤔🛢️🔥👀',
    outcome: NO_WORDS,
  },
  {
    name: 'Russian',
    input: () => 'Кто взял под контроль три нефтеперерабатывающих завода?',
    outcome: 'answer',
  },
  {
    name: 'Chinese',
    input: () => '谁控制了三家炼油厂？',
    outcome: 'answer',
  },
  {
    name: 'zero-width and control characters inside a question',
    input: () => 'Who\u200B took\u200D control\u0000 of\u0007 three\u202E refineries?\uFEFF',
    outcome: 'answer',
    cites: 15,
  },
  {
    name: 'only zero-width and control characters',
    input: () => '\u200B\u200D\u0007\u202E\u0000',
    outcome: PLEASE_ASK,
  },
  {
    name: 'a URL',
    input: () => 'https://www.wsws.org/en/articles/2022/09/16/pers-s16.html',
    outcome: 'answer',
  },
];

let h: BotHarness;
let ids: Ids;
/** Every reply asserted, by the thing it answers (an interaction id or a user message id). */
const replied = new Map<string, BotMessage>();

beforeAll(async () => {
  h = await startBotHarness({ fake: { token: CANARY_TOKEN } });
  const everyoneRole = h.fake.guild.id;
  const botRole = h.fake.guild.roles.find((r) => r.managed)?.id;
  if (!botRole) throw new Error('the fake guild has no managed bot role');
  ids = { bot: h.fake.botUser.id, alice: h.fake.createUser('alice').id, bob: h.fake.createUser('bob').id, everyoneRole, botRole };
});
afterAll(async () => h?.stop());

/** Asks `text` through `channel` as a fresh user; resolves with the one reply and what it answers. */
async function ask(channel: Channel, text: string, user: APIUser): Promise<{ key: string; reply: BotMessage }> {
  if (channel === 'slash') {
    const interaction = h.fake.slashCommand({ user, name: 'ask', options: { question: text } });
    const reply = await interaction.reply();
    expect(interaction.state.expired).toBe(false);
    expect(interaction.state.rejectedCallbacks).toEqual([]);
    return { key: interaction.id, reply };
  }
  const asked = h.fake.sendMessage({ author: user, content: text, ...(channel === 'dm' ? { dm: true } : { mentionBot: true }) });
  const reply = await h.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);
  return { key: asked.id, reply };
}

/** The bot messages that answer `key`: replies to a user message, or an interaction's messages. */
function repliesTo(key: string): BotMessage[] {
  return h.fake.messages.filter((m) => m.message_reference?.message_id === key || m.interaction_id === key);
}

describe.each(CASES)('$name', (c) => {
  it.each(CHANNELS)('through %s: exactly one safe reply', async (channel) => {
    const given = c.input(ids);
    const text = typeof given === 'string' ? given : given[channel];
    const expected = c.outcome instanceof RegExp || typeof c.outcome === 'string' ? c.outcome : c.outcome[channel];
    const { key, reply } = await ask(channel, text, h.fake.createUser(`${channel}-asker`));
    replied.set(key, reply);

    expect(repliesTo(key)).toHaveLength(1);
    // Pings nothing — not @everyone, not a role, not a user, not even the asker.
    expect(reply.allowed_mentions?.parse).toEqual([]);
    expect(reply.allowed_mentions?.users ?? []).toEqual([]);
    expect(reply.allowed_mentions?.roles ?? []).toEqual([]);
    if (channel !== 'slash') expect(reply.allowed_mentions?.replied_user).toBe(false);

    const shown = shownText(reply);
    expect(renderableMentions(shown, ids.bot)).toEqual([]);
    // No control or bidi-override character from the input makes it into what is shown.
    expect(shown).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/);
    for (const raw of c.mustNotShow ?? []) expect(unescapedOccurrences(shown, raw), `${raw} shown unescaped in: ${shown}`).toBe(0);

    if (expected === 'answer') {
      expect(isAnswer(reply), `expected an answer, got: ${shown}`).toBe(true);
      if (c.cites !== undefined) {
        expect(shown).toContain(KNOWN_QUOTE);
        expect(shown).toContain(`¶${c.cites}`);
      }
    } else {
      expect(isAnswer(reply)).toBe(false);
      expect(reply.embeds).toEqual([]);
      expect(reply.content).toMatch(expected);
      // Refusals of an interaction are only for the asker.
      if (channel === 'slash') expect(reply.ephemeral).toBe(true);
    }
  });
});

describe('afterwards', () => {
  it('the bot still answers through every channel, and sent nothing beyond one reply per input', async () => {
    const user = h.fake.createUser('after');
    for (const channel of CHANNELS) {
      const { key, reply } = await ask(channel, KNOWN_QUESTION, user);
      replied.set(key, reply);
      expect(shownText(reply)).toContain(KNOWN_QUOTE);
    }
    // Every message the bot ever sent is one of the replies above: no duplicates, no strays.
    expect(replied.size).toBe(CASES.length * CHANNELS.length + CHANNELS.length);
    expect(h.fake.messages.map((m) => m.id).sort()).toEqual([...replied.values()].map((m) => m.id).sort());
    expect(h.logger.lines.filter((l) => / ERROR /.test(l))).toEqual([]);
    expect(leakedLines(...h.logger.lines)).toEqual([]);
  });
});
