import { copyFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InteractionResponseType, PermissionFlagsBits, type APIRole } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/discord/bot.js';
import { readFeedback } from '../../src/discord/feedback.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import type { BotMessage } from '../support/fake-discord/index.js';
import { fixture, startNewsServer, status, type NewsServer } from '../support/news-server.js';
import { createTestService, memoryLogger, tempDir } from '../support/service.js';
import { button, buttons, onlyEmbed, refusedRequests } from './e2e-helpers.js';

/**
 * A library of several articles through Discord, end to end: `/ask` with and without an article,
 * autocomplete by headline, answers and citations that name their article, Show passages of any
 * article (also after a restart), `/article` as a paged list and as one article's card, `/passage`
 * of a chosen article, and `/add-article` from a loopback news server — who may, one at a time,
 * what is refused — after which the running bot answers from the new article.
 */

const PROJECT = path.resolve(import.meta.dirname, '../..');
const SEED = 'us-escalates-conflict-2022-09-16';
const SEED_HEADLINE = 'After Russian debacle in Ukraine, US escalates conflict with Russia and China';
const BATTERY = 'grid-battery-sodium-2026-03-03';
const BATTERY_HEADLINE = 'Salt-based battery for the power grid passes independent test as Polish town readies pilot';
/** Ten small articles from 2020, so the library (12) lists on two pages, the two real ones first. */
const FILLERS = 10;
const WSWS_PATH = '/en/articles/2023/04/12/port-a12.html';
const WSWS_ID = 'port-workers-reject-contract-shipping-profits-2023-04-12';

let h: BotHarness;
let news: NewsServer;
let articlesDir: string;
let editors: APIRole;
let managers: APIRole;

/** A short article of its own vocabulary (orchards), published on `day` January 2020. */
function filler(day: number): string {
  return [
    `Orchard festival number ${day} draws visitors to the hill village`,
    'Marta Quill',
    `${day} January 2020`,
    `Growers at the hill village pressed ${day * 100} bottles of cider for the festival, the most in a decade.`,
    'Visitors walked between the rows of old apple trees while a brass band played near the mill pond.',
    'The organisers said the festival would return next winter with a market for grafted saplings.',
  ].join('\n\n');
}

beforeAll(async () => {
  articlesDir = await tempDir('library-');
  await copyFile(path.join(PROJECT, 'articles', `${SEED}.txt`), path.join(articlesDir, `${SEED}.txt`));
  await copyFile(path.join(PROJECT, 'eval/articles', `${BATTERY}.txt`), path.join(articlesDir, `${BATTERY}.txt`));
  for (let day = 1; day <= FILLERS; day++) await writeFile(path.join(articlesDir, `orchard-festival-${day}-2020-01-${String(day).padStart(2, '0')}.txt`), filler(day));
  news = await startNewsServer({ [WSWS_PATH]: fixture('wsws-like.html'), '/2021/01/01/storm-hits-coast': fixture('jsonld-object.html'), '/missing': status(404) });
  h = await startBotHarness({
    prepare(fake) {
      // Before the bot logs in, so its guild's roles are in GUILD_CREATE as on Discord.
      editors = fake.createRole({ name: 'Editors' });
      managers = fake.createRole({ name: 'Managers', permissions: PermissionFlagsBits.ManageGuild });
    },
    env: () => ({ ARTICLES_DIR: articlesDir, ALLOW_ADD_ARTICLE: 'true', ALLOW_PRIVATE_ADDRESSES: 'true', ADMIN_ROLE: editors.id }),
  });
}, 120_000);
afterAll(async () => {
  await h?.stop();
  await news?.close();
});
// Whatever a test did, Discord accepted every request (a refused one shows the user nothing).
afterEach(() => {
  expect(refusedRequests(h)).toEqual([]);
});

function ask(options: Record<string, string | boolean>, user = h.fake.createUser('alice')) {
  return h.fake.slashCommand({ user, name: 'ask', options });
}

describe('/ask in a library of several articles', () => {
  it('answers from the article that holds the answer, leading with the short answer, and names that article and its ¶ numbers', async () => {
    const reply = await ask({ question: 'Who took control of three refineries?' }).reply();
    const embed = onlyEmbed(reply);
    expect({ author: embed.author?.name, description: embed.description, fields: embed.fields }).toMatchInlineSnapshot(`
      {
        "author": "After Russian debacle in Ukraine, US escalates conflict with Russia and China — Andre Damon · 16 September 2022",
        "description": "**German government**

      “On Friday, the German government took control of three refineries owned by Russian oil company Rosneft.” — **¶15**",
        "fields": [
          {
            "name": "Sources",
            "value": "¶15 of “After Russian debacle in Ukraine, US escalates conflict…”",
          },
        ],
      }
    `);

    const battery = onlyEmbed(await ask({ question: 'How much will the Kartuzy system cost?' }).reply());
    expect(battery.author?.name).toBe(`${BATTERY_HEADLINE} — Helen Okafor · 3 March 2026`);
    expect(battery.description).toMatch(/^\*\*21 million zloty\*\*\n\n“It will cost 21 million zloty/);
    expect(battery.fields?.[0]?.value).toMatch(/^¶16, .* of “Salt-based battery for the power grid passes independent…”$/);
  });

  it('asks back plainly which article a question about "the article" means, and answers it when one is picked', async () => {
    const open = ask({ question: 'Who wrote the article?' });
    const question = onlyEmbed(await open.reply());
    expect(open.state.ephemeral).toBe(false);
    expect(question.author).toBeUndefined();
    expect(question.description).toMatch(/^Which article do you mean\? .*“Salt-based battery for the power grid .*” \(grid-battery-sodium-2026-03-03\).* and 7 more\.\n\nPick the article with `\/ask article:`, or name it in your question\.$/s);

    const picked = onlyEmbed(await ask({ question: 'Who wrote the article?', article: BATTERY }).reply());
    expect(picked.description).toBe('The article was written by **Helen Okafor**.');
    expect(picked.author?.name).toContain(BATTERY_HEADLINE);
    const seed = onlyEmbed(await ask({ question: 'Who wrote the article?', article: SEED }).reply());
    expect(seed.description).toBe('The article was written by **Andre Damon**.');
  });

  it('accepts words of a headline typed without picking a suggestion, when they name one article', async () => {
    const reply = await ask({ question: 'When was it published?', article: 'salt battery' }).reply();
    expect(onlyEmbed(reply).description).toBe('The article was published on **3 March 2026**.');
  });

  it('refuses, privately and saying how to pick, an article that does not exist or words that match several', async () => {
    const unknown = ask({ question: 'Who wrote the article?', article: 'zeppelin' });
    expect((await unknown.reply()).content).toBe('There is no article matching “zeppelin”. Pick one from the list that appears as you type in the `article` option, or see them all with `/article`.');
    expect(unknown.state.ephemeral).toBe(true);

    const several = ask({ question: 'Who wrote the article?', article: 'orchard festival' });
    expect((await several.reply()).content).toMatch(/^“orchard festival” matches 10 articles: “Orchard festival number 10 draws visitors to the hill village \(10 January 2020\)”, .* and 5 more\. Pick one from the list/);
    expect(several.state.ephemeral).toBe(true);
  });

  it('suggests articles by headline as "headline (date)" with the id as value, most recent first', async () => {
    const alice = h.fake.createUser('alice');
    const battery = await h.fake.autocomplete({ user: alice, name: 'ask', focused: { name: 'article', value: 'power grid' } }).choices();
    expect(battery).toMatchInlineSnapshot(`
      [
        {
          "name": "Salt-based battery for the power grid passes independent test as Polish town readies… (3 March 2026)",
          "value": "grid-battery-sodium-2026-03-03",
        },
      ]
    `);
    const all = await h.fake.autocomplete({ user: alice, name: 'ask', focused: { name: 'article', value: '' } }).choices();
    expect(all.map((c) => c.value)).toEqual([BATTERY, SEED, ...Array.from({ length: FILLERS }, (_, i) => `orchard-festival-${FILLERS - i}-2020-01-${String(FILLERS - i).padStart(2, '0')}`)]);
    expect(all[1]?.name).toBe(`${SEED_HEADLINE} (16 September 2022)`);
  });

  it('Show passages shows the passages of the article the answer quotes, not of the most recent one', async () => {
    const alice = h.fake.createUser('alice');
    const answer = await ask({ question: 'Who took control of three refineries?' }, alice).reply();
    const shown = await h.fake.button({ user: alice, message: answer, customId: button(answer, 'Show passages') }).reply();
    const seed = h.service.library.get(SEED)!;
    expect(shown.embeds[0]?.author?.name).toBe(`${SEED_HEADLINE} — Andre Damon`);
    expect(shown.embeds[0]?.title).toBe('¶15');
    expect(shown.embeds[0]?.description?.replaceAll('\\', '')).toBe(seed.passages[14]?.text);
    expect(shown.embeds[0]?.footer?.text).toBe('Passage 15 of 25');
  });

  it('says where a question the articles do not answer comes closest, and Show passages shows those passages', async () => {
    const alice = h.fake.createUser('alice');
    const answer = await ask({ question: 'What is the price of bread in Warsaw?', article: BATTERY }, alice).reply();
    const embed = onlyEmbed(answer);
    expect(embed.description).toBe('The article does not cover that. Try `/article` to see what it does cover.');
    const closest = embed.fields?.find((f) => f.name.startsWith('Closest'));
    expect(closest?.name).toBe('Closest, in “Salt-based battery for the power grid passes independent…”');
    const numbers = [...(closest?.value ?? '').matchAll(/^\*\*¶(\d+)\*\* — “/gm)].map((m) => Number(m[1]));
    expect(numbers.length).toBeGreaterThanOrEqual(1);
    expect(numbers.length).toBeLessThanOrEqual(2);
    const shown = await h.fake.button({ user: alice, message: answer, customId: button(answer, 'Show passages') }).reply();
    expect(shown.embeds.map((e) => e.title)).toEqual(numbers.map((n) => `¶${n}`));
  });
});

describe('/article', () => {
  it('without a name lists the library, ten a page, the most recent first, with buttons to turn the page', async () => {
    const alice = h.fake.createUser('alice');
    const list = await h.fake.slashCommand({ user: alice, name: 'article' }).reply();
    expect(list.ephemeral).toBe(false);
    const embed = onlyEmbed(list);
    expect(embed.title).toBe('12 articles');
    expect(embed.description?.split('\n\n')).toHaveLength(10);
    expect(embed.description?.split('\n\n').slice(0, 2)).toEqual([
      `**1.** ${BATTERY_HEADLINE}\nHelen Okafor · 3 March 2026 · 24 passages · \`${BATTERY}\``,
      `**2.** ${SEED_HEADLINE}\nAndre Damon · 16 September 2022 · 25 passages · \`${SEED}\``,
    ]);
    expect(embed.footer?.text).toBe('Page 1 of 2 · /article name: shows one · /ask article: asks one');
    expect(buttons(list).map((b) => b.label)).toEqual(['◀ Newer', 'Older ▶']);

    // Someone else turning the page gets it privately; the list in the channel stays as it is.
    const bob = h.fake.createUser('bob');
    const theirs = h.fake.button({ user: bob, message: list, customId: button(list, 'Older ▶') });
    const page2 = await theirs.reply();
    expect(theirs.state.ephemeral).toBe(true);
    expect(onlyEmbed(page2).description?.split('\n\n').map((l) => l.split('\n')[0])).toEqual([
      '**11.** Orchard festival number 2 draws visitors to the hill village',
      '**12.** Orchard festival number 1 draws visitors to the hill village',
    ]);
    expect(onlyEmbed(page2).footer?.text).toMatch(/^Page 2 of 2/);
    expect(h.fake.messages.find((m) => m.id === list.id)?.version).toBe(0);

    // Whoever asked for the list turns its page in place.
    const mine = h.fake.button({ user: alice, message: list, customId: button(list, 'Older ▶') });
    const turned = await mine.reply();
    expect(mine.state.callback?.type).toBe(InteractionResponseType.UpdateMessage);
    expect(turned.id).toBe(list.id);
    expect(onlyEmbed(turned).footer?.text).toMatch(/^Page 2 of 2/);
    expect(buttons(turned).map((b) => b.label)).toEqual(['◀ Newer', 'Older ▶']);
  });

  it('shows a page asked for, and says how many there are when asked for one past the last', async () => {
    const alice = h.fake.createUser('alice');
    const page2 = await h.fake.slashCommand({ user: alice, name: 'article', options: { page: 2 } }).reply();
    expect(onlyEmbed(page2).footer?.text).toMatch(/^Page 2 of 2/);
    const past = h.fake.slashCommand({ user: alice, name: 'article', options: { page: 3 } });
    expect((await past.reply()).content).toBe('There are only 2 pages of articles (12 articles).');
    expect(past.state.ephemeral).toBe(true);
  });

  it("with a name shows that article's card: headline, author, date, passages, lead, and its id", async () => {
    const alice = h.fake.createUser('alice');
    const choices = await h.fake.autocomplete({ user: alice, name: 'article', focused: { name: 'name', value: 'Battery' } }).choices();
    expect(choices.map((c) => c.value)).toEqual([BATTERY]);
    const card = onlyEmbed(await h.fake.slashCommand({ user: alice, name: 'article', options: { name: BATTERY } }).reply());
    expect(card.title).toBe(BATTERY_HEADLINE);
    expect(card.fields?.slice(0, 3).map((f) => [f.name, f.value])).toEqual([
      ['Author', 'Helen Okafor'],
      ['Date', '3 March 2026'],
      ['Passages', '24 (¶1–¶24)'],
    ]);
    expect(card.description).toMatch(/^A sodium-ion battery cell developed by researchers at Baltic Technical University/);
    expect(card.footer?.text).toBe(`Id: ${BATTERY}`);
  });
});

describe('/help', () => {
  it('says how many articles there are and how to pick one', async () => {
    const help = onlyEmbed(await h.fake.slashCommand({ user: h.fake.createUser('alice'), name: 'help' }).reply());
    expect(help.description).toMatch(/^I answer questions about 12 articles \(the most recent: \*\*Salt-based battery/);
    expect(help.description).toContain('`article:…` asks one article only');
    expect(help.description).toContain('`/article` — the list of articles; `/article name:…` — one article');
  });
});

describe('/passage', () => {
  it('shows a paragraph of the article picked, and of the most recent one when none is', async () => {
    const alice = h.fake.createUser('alice');
    const seed = onlyEmbed(await h.fake.slashCommand({ user: alice, name: 'passage', options: { number: 15, article: SEED } }).reply());
    expect(seed.author?.name).toBe(`${SEED_HEADLINE} — Andre Damon`);
    expect(seed.description).toMatch(/took control of three refineries/);

    const latest = onlyEmbed(await h.fake.slashCommand({ user: alice, name: 'passage', options: { number: 15 } }).reply());
    expect(latest.author?.name).toBe(`${BATTERY_HEADLINE} — Helen Okafor`);
    expect(latest.description).toMatch(/^Saltwell estimates/);
  });

  it('suggests the numbers of the article picked so far', async () => {
    const alice = h.fake.createUser('alice');
    const inSeed = await h.fake.autocomplete({ user: alice, name: 'passage', focused: { name: 'number', value: 'Rosneft refineries' }, options: { article: SEED } }).choices();
    expect(inSeed.map((c) => c.value)).toEqual([15]);
    const inLatest = await h.fake.autocomplete({ user: alice, name: 'passage', focused: { name: 'number', value: 'Rosneft refineries' } }).choices();
    expect(inLatest).toEqual([]);
    const articles = await h.fake.autocomplete({ user: alice, name: 'passage', focused: { name: 'article', value: 'escalates' } }).choices();
    expect(articles.map((c) => c.value)).toEqual([SEED]);
  });
});

describe('/add-article', () => {
  it('is registered for server managers, in servers only', () => {
    const command = h.fake.commands.guild.find((c) => c.name === 'add-article');
    expect(command).toMatchObject({ default_member_permissions: String(PermissionFlagsBits.ManageGuild), contexts: [0], integration_types: [0] });
  });

  it('refuses a member with neither Manage Server nor the ADMIN_ROLE role, before fetching anything', async () => {
    const alice = h.fake.createUser('alice');
    const before = news.requests.length;
    const add = h.fake.slashCommand({ user: alice, name: 'add-article', options: { url: `${news.url}${WSWS_PATH}` } });
    const refusal = await add.reply();
    expect(add.state.ephemeral).toBe(true);
    expect(refusal.content).toBe(`Only members with the Manage Server permission or the <@&${editors.id}> role can add articles.`);
    expect(refusal.allowed_mentions).toEqual({ parse: [] });
    expect(news.requests.length).toBe(before);
  });

  it('lets a member with the ADMIN_ROLE role add an article by its address; the answer, private, says what was added; the bot then answers from it', async () => {
    const editor = h.fake.createUser('editor');
    h.fake.giveRole(editor, editors);
    const add = h.fake.slashCommand({ user: editor, name: 'add-article', options: { url: `${news.url}${WSWS_PATH}` } });
    const added = await add.reply({ timeoutMs: 30_000 });
    // Acknowledged at once ("thinking…", privately): fetching and embedding take longer than Discord waits.
    expect(add.state.callback?.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(add.state.ephemeral).toBe(true);
    const embed = onlyEmbed(added);
    expect(embed.title).toBe('Port workers reject contract as shipping profits soar');
    expect(embed.fields?.map((f) => [f.name, f.value])).toEqual([
      ['Id', `\`${WSWS_ID}\``],
      ['Author', 'Helen Marsh'],
      ['Date', '12 April 2023'],
      ['Passages', '7 (¶1–¶7)'],
      ['Source', `${news.url}${WSWS_PATH}`],
    ]);
    expect(embed.description).toMatch(/^The library now has 13 articles\./);
    expect(await readdir(articlesDir)).toContain(`${WSWS_ID}.md`);

    const answer = onlyEmbed(await ask({ question: 'By what percentage did the dockworkers vote to reject the agreement?' }).reply());
    expect(answer.author?.name).toBe('Port workers reject contract as shipping profits soar — Helen Marsh · 12 April 2023');
    expect(answer.description).toMatch(/^\*\*78 percent\*\*\n\n“Dockworkers at the three largest container terminals/);
  });

  it('lets a member with Manage Server add one; refuses the same article twice, a page that is not there, and what is not a web address', async () => {
    const manager = h.fake.createUser('manager');
    h.fake.giveRole(manager, managers);
    const added = await h.fake.slashCommand({ user: manager, name: 'add-article', options: { url: `${news.url}/2021/01/01/storm-hits-coast` } }).reply({ timeoutMs: 30_000 });
    expect(onlyEmbed(added).title).toBe('Storm hits coast, forcing thousands from their homes');

    const refusals: string[] = [];
    for (const url of [`${news.url}${WSWS_PATH}`, `${news.url}/missing`, '/etc/passwd', 'file:///etc/passwd']) {
      const add = h.fake.slashCommand({ user: manager, name: 'add-article', options: { url } });
      refusals.push((await add.reply({ timeoutMs: 30_000 })).content);
      expect(add.state.ephemeral).toBe(true);
    }
    expect(refusals).toEqual([
      `That article is already in the library, as ${WSWS_ID} (“Port workers reject contract as shipping profits soar”).`,
      `Not added: ${news.url}/missing answered 404 Not Found; nothing was added.`,
      'Give the web address of the article, starting with https:// (or http://).',
      'Give the web address of the article, starting with https:// (or http://).',
    ]);
  });

  it('adds one article at a time: a second add while one is fetching is refused', async () => {
    const manager = h.fake.createUser('manager');
    h.fake.giveRole(manager, managers);
    let arrived!: () => void;
    const requested = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    news.route('/health/malaria-vaccine', (req, res) => {
      arrived();
      void released.then(() => fixture('opengraph.html')(req, res));
    });
    const first = h.fake.slashCommand({ user: manager, name: 'add-article', options: { url: `${news.url}/health/malaria-vaccine` } });
    await requested;
    const second = h.fake.slashCommand({ user: manager, name: 'add-article', options: { url: `${news.url}${WSWS_PATH}` } });
    expect((await second.reply()).content).toBe('Another article is being added right now; try again in a moment.');
    release();
    expect(onlyEmbed(await first.reply({ timeoutMs: 30_000 })).title).toBe('Malaria vaccine trial reports fewer severe cases in young children');
  });

  it('refuses an address on this machine or a private network unless ALLOW_PRIVATE_ADDRESSES is set, fetching nothing and writing nothing', async () => {
    const guarded = await startBotHarness({ service: h.service, env: { ARTICLES_DIR: articlesDir, ALLOW_ADD_ARTICLE: 'true' } });
    try {
      const owner = guarded.fake.createUser('owner');
      const role = guarded.fake.createRole({ name: 'Managers', permissions: PermissionFlagsBits.ManageGuild });
      guarded.fake.giveRole(owner, role);
      const files = await readdir(articlesDir);
      const before = news.requests.length;
      const refusals: string[] = [];
      for (const url of [`${news.url}/2021/01/01/storm-hits-coast`, news.url.replace('127.0.0.1', 'localhost'), 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/', 'http://10.1.2.3/news']) {
        refusals.push((await guarded.fake.slashCommand({ user: owner, name: 'add-article', options: { url } }).reply({ timeoutMs: 30_000 })).content);
      }
      expect(refusals).toEqual([
        'Not added: 127.0.0.1 resolves to 127.0.0.1, a loopback (this machine) address: only pages on the public internet can be added; nothing was added.',
        'Not added: localhost resolves to 127.0.0.1, a loopback (this machine) address: only pages on the public internet can be added; nothing was added.',
        'Not added: 169.254.169.254 resolves to 169.254.169.254, a link-local (including cloud metadata services) address: only pages on the public internet can be added; nothing was added.',
        'Not added: ::1 resolves to ::1, a loopback (this machine) address: only pages on the public internet can be added; nothing was added.',
        'Not added: 10.1.2.3 resolves to 10.1.2.3, a private-network address: only pages on the public internet can be added; nothing was added.',
      ]);
      expect(news.requests.length).toBe(before);
      expect(await readdir(articlesDir)).toEqual(files);
      expect(refusedRequests(guarded)).toEqual([]);
    } finally {
      await guarded.stop();
    }
  });

  it('refuses while ARTICLE_PATH pins the bot to one article, since an added one would be gone after a restart', async () => {
    const pinned = await startBotHarness({ service: h.service, env: { ARTICLE_PATH: path.join(articlesDir, `${SEED}.txt`), ARTICLES_DIR: articlesDir, ALLOW_ADD_ARTICLE: 'true', ALLOW_PRIVATE_ADDRESSES: 'true' } });
    try {
      const owner = pinned.fake.createUser('owner');
      pinned.fake.giveRole(owner, pinned.fake.createRole({ name: 'Managers', permissions: PermissionFlagsBits.ManageGuild }));
      const before = news.requests.length;
      const refusal = await pinned.fake.slashCommand({ user: owner, name: 'add-article', options: { url: `${news.url}/health/malaria-vaccine` } }).reply();
      expect(refusal.content).toBe('This bot answers about one article (the setting ARTICLE_PATH is set), so an added article would be gone after a restart. Whoever runs it can unset ARTICLE_PATH to answer from the whole ARTICLES_DIR library.');
      expect(news.requests.length).toBe(before);
    } finally {
      await pinned.stop();
    }
  });
});

describe('after a restart', () => {
  it('Show passages still shows the passages of the article the answer quoted, votes still record it; refused clearly once that article is gone', async () => {
    const alice = h.fake.createUser('alice');
    const answer: BotMessage = await ask({ question: 'How much will the Kartuzy system cost?' }, alice).reply();
    expect((await h.fake.button({ user: alice, message: answer, customId: button(answer, '👍') }).reply()).content).toBe('Thanks — recorded 👍');
    await h.bot.stop();

    const restarted = await startBot({ config: h.config, service: h.service, logger: memoryLogger() });
    try {
      const shown = await h.fake.button({ user: alice, message: answer, customId: button(answer, 'Show passages') }).reply();
      expect(shown.embeds[0]?.author?.name).toContain(BATTERY_HEADLINE);
      expect(shown.embeds[0]?.title).toBe('¶16');
      // The new process remembers no answers: the vote reads the answer, and its article, from the message.
      expect((await h.fake.button({ user: alice, message: answer, customId: button(answer, '👎') }).reply()).content).toBe('Thanks — recorded 👎');
    } finally {
      await restarted.stop();
    }
    const votes = (await readFeedback(h.config.discord.feedbackPath)).records.filter((r) => r.messageId === answer.id);
    expect(votes.map((v) => [v.vote, v.article, v.citations[0]?.passage])).toEqual([
      ['up', BATTERY, 16],
      ['down', BATTERY, 16],
    ]);

    // The battery article removed from the folder: a library of the seed article alone.
    const { service: seedOnly } = await createTestService();
    const without = await startBot({ config: h.config, service: seedOnly, logger: memoryLogger() });
    try {
      const click = h.fake.button({ user: alice, message: answer, customId: button(answer, 'Show passages') });
      expect((await click.reply()).content).toBe('The article these passages come from is no longer in the library. Ask again for a fresh answer (`/article` lists the articles).');
      expect(click.state.ephemeral).toBe(true);
    } finally {
      await without.stop();
    }
  });
});
