import { InteractionResponseType, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { length, onlyEmbed, refusedRequests } from './e2e-helpers.js';

/** `/passage` (with autocomplete), `/article`, `/help`. Texts longer than Discord's limits: full-text.e2e.test.ts. */

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => h?.stop());

/** Replaces the bot's id so snapshots do not depend on generated snowflakes. */
function withoutBotId(text: string): string {
  return text.replaceAll(h.fake.botUser.id, 'BOT');
}

describe('/passage', () => {
  afterEach(() => {
    expect(refusedRequests(h)).toEqual([]);
  });

  it('shows one paragraph in full, in the channel', async () => {
    const alice = h.fake.createUser('alice');
    const reply = await h.fake.slashCommand({ user: alice, name: 'passage', options: { number: 15 } }).reply();
    expect(reply.ephemeral).toBe(false);
    expect(onlyEmbed(reply)).toMatchInlineSnapshot(`
      {
        "author": {
          "name": "After Russian debacle in Ukraine, US escalates conflict with Russia and China — Andre Damon",
        },
        "color": 5793266,
        "description": "These military moves have been accompanied by an escalation of the US-NATO economic war. On Friday, the German government took control of three refineries owned by Russian oil company Rosneft. "This is a far-reaching energy policy decision to protect our country," German Chancellor Olaf Scholz said.",
        "footer": {
          "text": "Passage 15 of 25",
        },
        "title": "¶15",
      }
    `);
  });

  it('explains the valid range, privately, for a number outside the article', async () => {
    const alice = h.fake.createUser('alice');
    for (const number of [26, 1000]) {
      const passage = h.fake.slashCommand({ user: alice, name: 'passage', options: { number } });
      const reply = await passage.reply();
      expect(passage.state.ephemeral).toBe(true);
      expect(reply.content).toBe(`There is no ¶${number}: the article's passages are numbered 1–25.`);
    }
  });

  it('autocompletes a typed number with the passage numbers starting with it and their first words', async () => {
    const alice = h.fake.createUser('alice');
    const fifteen = await h.fake.autocomplete({ user: alice, name: 'passage', focused: { name: 'number', value: '15' } }).choices();
    expect(fifteen).toMatchInlineSnapshot(`
      [
        {
          "name": "¶15 — These military moves have been accompanied by an escalation of the US-NATO economic war. …",
          "value": 15,
        },
      ]
    `);

    const one = await h.fake.autocomplete({ user: alice, name: 'passage', focused: { name: 'number', value: '1' } }).choices();
    expect(one.map((c) => c.value)).toEqual([1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('autocompletes words with the passages containing them', async () => {
    const alice = h.fake.createUser('alice');
    const choices = await h.fake.autocomplete({ user: alice, name: 'passage', focused: { name: 'number', value: 'Rosneft refineries' } }).choices();
    expect(choices.map((c) => c.value)).toEqual([15]);

    const none = await h.fake.autocomplete({ user: alice, name: 'passage', focused: { name: 'number', value: 'zeppelin' } }).choices();
    expect(none).toEqual([]);
  });

  it('lists the first passages (at most 25, names within 100 characters) before anything is typed', async () => {
    const alice = h.fake.createUser('alice');
    const choices = await h.fake.autocomplete({ user: alice, name: 'passage', focused: { name: 'number', value: '' } }).choices();
    expect(choices.map((c) => c.value)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    for (const choice of choices) expect(length(choice.name)).toBeLessThanOrEqual(100);
    expect(choices[0]?.name).toMatch(/^¶1 — Following the collapse of Moscow's northern front/);
  });
});

describe('/article', () => {
  it("shows the headline, author, date, passage count, the lead and how to ask, in the channel", async () => {
    const alice = h.fake.createUser('alice');
    const reply = await h.fake.slashCommand({ user: alice, name: 'article' }).reply();
    expect(reply.ephemeral).toBe(false);
    expect(onlyEmbed(reply)).toMatchInlineSnapshot(`
      {
        "color": 5793266,
        "description": "Following the collapse of Moscow's northern front of Russia's six-month-old invasion of Ukraine, the United States has responded by further intensifying its involvement in the war against Russia in Ukraine and preparations for war with China over Taiwan. In the course of one week, Ukrainian forces advanced dozens of miles, capturing massive quantities of Russian weapons and ammunition, along with, according to Ukrainian officials, thousands of Russian soldiers.",
        "fields": [
          {
            "inline": true,
            "name": "Author",
            "value": "Andre Damon",
          },
          {
            "inline": true,
            "name": "Date",
            "value": "16 September 2022",
          },
          {
            "inline": true,
            "name": "Passages",
            "value": "25 (¶1–¶25)",
          },
          {
            "name": "Ask",
            "value": "Use \`/ask\`, mention me with a question, or send me a direct message. \`/passage\` shows one paragraph.",
          },
        ],
        "title": "After Russian debacle in Ukraine, US escalates conflict with Russia and China",
      }
    `);
    expect(reply.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('/add-article', () => {
  it('is off unless ALLOW_ADD_ARTICLE=true: even a server manager is told so, at once and privately', async () => {
    const manager = h.fake.createUser('manager');
    h.fake.giveRole(manager, h.fake.createRole({ name: 'Managers', permissions: PermissionFlagsBits.ManageGuild }));
    const add = h.fake.slashCommand({ user: manager, name: 'add-article', options: { url: 'https://example.org/news/2024/01/01/story.html' } });
    expect((await add.reply()).content).toBe('Adding articles is turned off on this bot. Whoever runs it can turn it on with the setting ALLOW_ADD_ARTICLE=true.');
    expect(add.state.ephemeral).toBe(true);
    expect(add.state.callback?.type).toBe(InteractionResponseType.ChannelMessageWithSource);
  });
});

describe('/help', () => {
  it('explains the commands, mentions and direct messages, to the asker only', async () => {
    const alice = h.fake.createUser('alice');
    const help = h.fake.slashCommand({ user: alice, name: 'help' });
    const reply = await help.reply();
    expect(help.state.ephemeral).toBe(true);
    const embed = onlyEmbed(reply);
    expect(embed.title).toBe('How to ask');
    expect(withoutBotId(embed.description ?? '')).toMatchInlineSnapshot(`
      "I answer questions about **After Russian debacle in Ukraine, US escalates conflict with Russia and China** with the article's own words, citing its paragraphs (¶1–¶25).

      **Slash commands**
      • \`/ask question:…\` — an answer quoted from the article with its ¶ numbers; add \`private:True\` to see it alone.
      • \`/passage number:…\` — read one paragraph in full.
      • \`/article\` — what the article is about.

      **Elsewhere**
      • In a channel: mention me with your question, e.g. <@BOT> who is mentioned first?
      • In a direct message: just write your question (send \`help\` for this message).
      • To follow up, reply to one of my answers (no mention needed), or keep asking in the DM or thread: “What did he say?” is read in the light of your last question.
      • On any message: right-click (long-press on mobile) → *Apps* → **Find in article**, to look up its text privately.

      Under each answer, **Show passages** shows the supporting paragraphs (only to you), and 👍 / 👎 tell us whether it helped.
      You can ask 5 questions every 30 seconds."
    `);
    // The example mention renders as the bot's name but notifies no one.
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    expect(reply.mentions).toEqual([]);
  });
});
