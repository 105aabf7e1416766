import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/discord/bot.js';
import { currentVotes, openFeedbackStore, readFeedback, type FeedbackStore } from '../../src/discord/feedback.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import type { BotMessage } from '../support/fake-discord/index.js';
import { tempDir } from '../support/service.js';
import { button, buttons, expectNoPings, onlyEmbed, pingBait, refusedRequests } from './e2e-helpers.js';

/**
 * `/ask` and "Find in article" end to end: the real answer service, the real register script and
 * the real bot (unmodified discord.js) against the fake Discord.
 */

const REFINERIES = 'Who took control of three refineries?';
const REFINERIES_QUOTE = 'On Friday, the German government took control of three refineries owned by Russian oil company Rosneft.';
const TAIWAN = 'What would the Taiwan Policy Act send to Taiwan?';

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => h?.stop());
// Whatever a test did, Discord accepted every request (a refused one shows the user nothing).
afterEach(() => {
  expect(refusedRequests(h)).toEqual([]);
});

describe('/ask', () => {
  it('answers in the channel with the quoted sentence, its ¶ number and the article as context', async () => {
    const alice = h.fake.createUser('alice');
    const ask = h.fake.slashCommand({ user: alice, name: 'ask', options: { question: REFINERIES } });
    const reply = await ask.reply();

    expect(reply.ephemeral).toBe(false);
    expect(h.fake.channelMessages(h.fake.channels.general.id).some((m) => m.id === reply.id)).toBe(true);
    const embed = onlyEmbed(reply);
    expect({ author: embed.author, title: embed.title, description: embed.description, fields: embed.fields }).toMatchInlineSnapshot(`
      {
        "author": {
          "name": "After Russian debacle in Ukraine, US escalates conflict with Russia and China — Andre Damon",
        },
        "description": "**German government**

      “On Friday, the German government took control of three refineries owned by Russian oil company Rosneft.” — **¶15**",
        "fields": [
          {
            "name": "Sources",
            "value": "¶15",
          },
        ],
        "title": "Who took control of three refineries?",
      }
    `);
    expect(buttons(reply).map((b) => b.label)).toEqual(['Show passages', '👍', '👎']);
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    expect(reply.mentions).toEqual([]);
  });

  it('with private:true shows the answer to the asker only', async () => {
    const alice = h.fake.createUser('alice');
    const ask = h.fake.slashCommand({ user: alice, name: 'ask', options: { question: REFINERIES, private: true } });
    const reply = await ask.reply();

    expect(ask.state.ephemeral).toBe(true);
    expect(reply.ephemeral).toBe(true);
    expect(onlyEmbed(reply).description).toContain(REFINERIES_QUOTE);
    // Ephemeral messages are not part of the channel anyone else reads.
    expect(h.fake.channelMessages(h.fake.channels.general.id).some((m) => m.id === reply.id)).toBe(false);
  });

  it('cites every supporting passage of a multi-passage answer', async () => {
    const alice = h.fake.createUser('alice');
    const reply = await h.fake.slashCommand({ user: alice, name: 'ask', options: { question: TAIWAN } }).reply();
    const embed = onlyEmbed(reply);
    // ¶19 supports the answer without a sentence worth quoting: cited, not quoted.
    expect(embed.description).toMatchInlineSnapshot(`"“On Wednesday, the Senate Foreign relations Committee voted to move forward the Taiwan Policy Act, a bill that would send $6.5 billion in weapons to Taiwan and effectively end the US's One China Policy.” — **¶17**"`);
    expect(embed.fields).toEqual([{ name: 'Sources', value: '¶17, ¶19' }]);
  });

  it('answers questions about the article itself (author) from its metadata', async () => {
    const alice = h.fake.createUser('alice');
    const reply = await h.fake.slashCommand({ user: alice, name: 'ask', options: { question: 'Who wrote this article?' } }).reply();
    expect(onlyEmbed(reply).description).toMatchInlineSnapshot(`"The article was written by **Andre Damon**."`);
  });

  it('says plainly when the article does not cover a question, points to /article and to where it comes closest', async () => {
    const alice = h.fake.createUser('alice');
    const reply = await h.fake.slashCommand({ user: alice, name: 'ask', options: { question: 'What is the capital of France?' } }).reply();
    const embed = onlyEmbed(reply);
    expect(embed.description).toMatchInlineSnapshot(`"The article does not cover that. Try \`/article\` to see what it does cover."`);
    // No sources (nothing answers it), at most two passages to check, each with its opening words.
    expect(embed.fields?.map((f) => f.name)).toEqual(['Closest']);
    const closest = embed.fields?.[0]?.value.split('\n') ?? [];
    expect(closest.length).toBeGreaterThanOrEqual(1);
    expect(closest.length).toBeLessThanOrEqual(2);
    for (const line of closest) expect(line).toMatch(/^\*\*¶\d+\*\* — “.+”$/);
    expect(buttons(reply).map((b) => b.label)).toEqual(['Show passages', '👍', '👎']);
  });

  it('pings no one and shows no live mention when the question contains @everyone, @here, a role or a user', async () => {
    const alice = h.fake.createUser('alice');
    const { question, raw } = pingBait(h, REFINERIES);
    const reply = await h.fake.slashCommand({ user: alice, name: 'ask', options: { question } }).reply();

    expect(reply.allowed_mentions).toEqual({ parse: [] });
    expectNoPings(reply, raw);
    // Still readable: the text is there, only broken with a zero-width space.
    expect(onlyEmbed(reply).title?.replaceAll('\u200b', '')).toBe(question);
  });
});

describe('Show passages', () => {
  it('shows the supporting passages in full, only to whoever clicks — also someone other than the asker', async () => {
    const alice = h.fake.createUser('alice');
    const bob = h.fake.createUser('bob');
    const answer = await h.fake.slashCommand({ user: alice, name: 'ask', options: { question: TAIWAN } }).reply();

    const click = h.fake.button({ user: bob, message: answer, customId: button(answer, 'Show passages') });
    const shown = await click.reply();

    expect(click.state.ephemeral).toBe(true);
    expect(shown.ephemeral).toBe(true);
    expect(shown.interaction_metadata?.user.id).toBe(bob.id);
    expect(shown.embeds.map((e) => ({ title: e.title, footer: e.footer?.text }))).toEqual([
      { title: '¶17', footer: 'Passage 17 of 25' },
      { title: '¶19', footer: 'Passage 19 of 25' },
    ]);
    for (const [i, n] of [17, 19].entries()) {
      const passage = h.service.library.latest.passages[n - 1];
      // The whole paragraph (escaping aside), not just the quoted sentence.
      expect(shown.embeds[i]?.description?.replaceAll('\\', '')).toBe(passage?.text);
    }
    // The answer in the channel is unchanged.
    expect(h.fake.messages.find((m) => m.id === answer.id)?.version).toBe(0);
  });

  it('works on a private answer too', async () => {
    const alice = h.fake.createUser('alice');
    const answer = await h.fake.slashCommand({ user: alice, name: 'ask', options: { question: REFINERIES, private: true } }).reply();
    const click = h.fake.button({ user: alice, message: answer, customId: button(answer, 'Show passages') });
    const shown = await click.reply();
    expect(click.state.ephemeral).toBe(true);
    expect(shown.embeds.map((e) => e.title)).toEqual(['¶15']);
  });
});

describe('👍 / 👎', () => {
  it('records each vote in FEEDBACK_PATH; a second vote by the same user replaces their first', async () => {
    const alice = h.fake.createUser('alice');
    const bob = h.fake.createUser('bob');
    const answer = await h.fake.slashCommand({ user: alice, name: 'ask', options: { question: REFINERIES } }).reply();
    const up = button(answer, '👍');
    const down = button(answer, '👎');

    const thanks: BotMessage[] = [];
    for (const [user, customId] of [
      [alice, up],
      [alice, down],
      [bob, up],
    ] as const) {
      const click = h.fake.button({ user, message: answer, customId });
      thanks.push(await click.reply());
      expect(click.state.ephemeral).toBe(true);
    }
    expect(thanks.map((m) => m.content)).toEqual(['Thanks — recorded 👍', 'Thanks — recorded 👎', 'Thanks — recorded 👍']);

    const path = h.config.discord.feedbackPath;
    const answerId = up.split(':')[2];
    const lines = (await readFile(path, 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => record['answerId'] === answerId);
    // Append-only: three clicks, three lines, in click order.
    expect(lines.map((l) => [l['userId'], l['vote']])).toEqual([
      [alice.id, 'up'],
      [alice.id, 'down'],
      [bob.id, 'up'],
    ]);
    for (const line of lines) {
      expect(line).toMatchObject({
        question: REFINERIES,
        answer: REFINERIES_QUOTE,
        citations: [{ passage: 15, quote: REFINERIES_QUOTE }],
        messageId: answer.id,
        channelId: h.fake.channels.general.id,
        guildId: h.fake.guild.id,
      });
      expect(Date.parse(String(line['time']))).toBeGreaterThan(Date.now() - 60_000);
    }

    const { records, skipped } = await readFeedback(path);
    expect(skipped).toBe(0);
    const votes = currentVotes(records.filter((r) => r.answerId === answerId));
    expect(votes.map((v) => [v.userId, v.vote])).toEqual([
      [alice.id, 'down'],
      [bob.id, 'up'],
    ]);
  });
});

/** The real store behind a gate: every record waits until the test lets it through, as on a slow disk. */
function heldFeedbackStore(real: FeedbackStore): { store: FeedbackStore; recordArrived: Promise<void>; release(): void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const recordArrived = new Promise<void>((resolve) => (arrived = resolve));
  const store: FeedbackStore = {
    path: real.path,
    async record(record) {
      arrived();
      await gate;
      return real.record(record);
    },
    flush: () => real.flush(),
    close: () => real.close(),
  };
  return { store, recordArrived, release };
}

describe('👍 / 👎 on a slow disk', () => {
  it('acknowledges the click before writing the vote, so a slow write never makes the click fail', async () => {
    const held = heldFeedbackStore(openFeedbackStore(path.join(await tempDir(), 'feedback.jsonl')));
    const slow = await startBotHarness({ service: h.service, bot: { feedback: held.store } });
    try {
      const alice = slow.fake.createUser('alice');
      const answer = await slow.fake.slashCommand({ user: alice, name: 'ask', options: { question: REFINERIES } }).reply();
      const click = slow.fake.button({ user: alice, message: answer, customId: button(answer, '👍') });

      // Acknowledged (privately) while the write has not even reached the disk.
      const ack = await click.acknowledged();
      expect(ack.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
      expect(click.state.ephemeral).toBe(true);
      await held.recordArrived;
      expect((await readFeedback(held.store.path)).records).toEqual([]);

      held.release();
      expect((await click.reply()).content).toBe('Thanks — recorded 👍');
      const { records } = await readFeedback(held.store.path);
      expect(records.map((r) => [r.userId, r.vote, r.question])).toEqual([[alice.id, 'up', REFINERIES]]);
      expect(refusedRequests(slow)).toEqual([]);
    } finally {
      await slow.stop();
    }
  });
});

describe('buttons after a restart', () => {
  it('a vote after a restart records the same question, answer and citations as a vote before it', async () => {
    const before = await startBotHarness({ service: h.service });
    try {
      const alice = before.fake.createUser('alice');
      const bob = before.fake.createUser('bob');
      const answers: BotMessage[] = [];
      for (const question of [REFINERIES, TAIWAN, 'What is the capital of France?']) {
        const answer = await before.fake.slashCommand({ user: alice, name: 'ask', options: { question } }).reply();
        answers.push(answer);
        await before.fake.button({ user: alice, message: answer, customId: button(answer, '👍') }).reply();
      }

      // Restart: a new process knows nothing of the answers the old one gave.
      await before.bot.stop();
      const after = await startBot({ config: before.config, service: before.service, logger: before.logger });
      try {
        for (const answer of answers) {
          const click = before.fake.button({ user: bob, message: answer, customId: button(answer, '👎') });
          expect((await click.reply()).content).toBe('Thanks — recorded 👎');
        }
        const shown = await before.fake.button({ user: bob, message: answers[0] as BotMessage, customId: button(answers[0] as BotMessage, 'Show passages') }).reply();
        expect(shown.embeds.map((e) => e.title)).toEqual(['¶15']);
      } finally {
        await after.stop();
      }

      const { records } = await readFeedback(before.config.discord.feedbackPath);
      const what = (r: (typeof records)[number]) => ({
        answerId: r.answerId,
        messageId: r.messageId,
        question: r.question,
        answer: r.answer,
        // Scores are not shown in the message, so they cannot be recovered after a restart.
        citations: r.citations.map((c) => ({ passage: c.passage, quote: c.quote })),
      });
      const byAlice = records.filter((r) => r.userId === alice.id);
      const byBob = records.filter((r) => r.userId === bob.id);
      expect(byBob.map(what)).toEqual(byAlice.map(what));
      expect(byBob.every((r) => r.citations.every((c) => c.score === null))).toBe(true);
      expect(byAlice.map((r) => r.answer)).toEqual([REFINERIES_QUOTE, expect.stringContaining('Taiwan Policy Act'), 'The article does not cover that.']);
      expect(refusedRequests(before)).toEqual([]);
    } finally {
      await before.stop();
    }
  });
});

describe('Find in article', () => {
  it("answers the target message's text privately for whoever ran it", async () => {
    const alice = h.fake.createUser('alice');
    const bob = h.fake.createUser('bob');
    // No mention: the bot never sees this text over the gateway (no Message Content intent)…
    const said = h.fake.sendMessage({ author: alice, content: REFINERIES });
    // …but the context-menu interaction carries the message.
    const find = h.fake.messageCommand({ user: bob, name: 'Find in article', target: said });
    const reply = await find.reply();

    expect(find.state.ephemeral).toBe(true);
    expect(reply.ephemeral).toBe(true);
    const embed = onlyEmbed(reply);
    expect(embed.title).toBe(REFINERIES);
    expect(embed.description).toContain(REFINERIES_QUOTE);
    expect(embed.fields).toEqual([{ name: 'Sources', value: '¶15' }]);
    expect(reply.allowed_mentions).toEqual({ parse: [] });
  });

  it('explains that a message without text cannot be looked up', async () => {
    const alice = h.fake.createUser('alice');
    const said = h.fake.sendMessage({ author: alice, content: '', embeds: [{ title: 'a link preview' }] });
    const find = h.fake.messageCommand({ user: alice, name: 'Find in article', target: said });
    const reply = await find.reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatchInlineSnapshot(`"That message has no text to look up (only attachments, embeds or stickers)."`);
  });
});

