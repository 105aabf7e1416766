import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseCustomId } from '../../src/discord/custom-ids.js';
import { unescapeUserText, ZERO_WIDTH_SPACE } from '../../src/discord/text.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import type { BotMessage, InteractionHandle } from '../support/fake-discord/index.js';
import { tempDir } from '../support/service.js';
import { button, length, onlyEmbed, refusedRequests } from './e2e-helpers.js';
import { HeldService } from './held-service.js';

/**
 * Texts longer than Discord's limits, shown in full: an article whose paragraphs exceed an embed
 * (4,096 characters) and a whole message (6,000), and one whose single sentence exceeds an embed.
 * `/passage`, Show passages and answers continue in fields, embeds and follow-up messages; the
 * parts put back together are the text, and every part is as private as the first.
 */

let h: BotHarness;

/** About `chars` characters of whole, numbered sentences about `topic`; `\_` is a markdown escape in the file. */
function paragraph(topic: string, chars: number): string {
  const sentences: string[] = [];
  for (let i = 1; sentences.join(' ').length < chars; i++) {
    sentences.push(`Report line ${i} says the pipeline inspectors counted ${topic} in tank\\_${i} at depot ${i}${' and checked it twice'.repeat(i % 4)}.`);
  }
  return sentences.join(' ');
}

/** One sentence of more than 4,096 characters. */
const HARBOUR_SENTENCE = `The harbour master listed the lighthouse keepers ${Array.from({ length: 420 }, (_, i) => `Keeper ${i} of cove ${i}`).join(', ')} as present.`;
const HARBOUR_QUESTION = 'Which lighthouse keepers did the harbour master list as present?';

beforeAll(async () => {
  const dir = await tempDir();
  const articlePath = path.join(dir, 'long-article.txt');
  const body = [
    'Pipeline inspectors file a very long report',
    'Jane Doe\n3 March 2024',
    paragraph('barrels of crude', 5_000),
    paragraph('barrels of diesel', 13_000),
    paragraph('barrels of kerosene', 7_000),
    HARBOUR_SENTENCE,
    'The storm closed the northern depots for a week.',
  ].join('\n\n');
  await writeFile(articlePath, `${body}\n`);
  h = await startBotHarness({ env: { ARTICLE_PATH: articlePath } });
  const lengths = h.service.library.latest.passages.map((p) => p.text.length);
  expect(lengths[0]).toBeGreaterThan(4096);
  expect(lengths[1]).toBeGreaterThan(2 * 6000);
  expect(lengths[2]).toBeGreaterThan(6000);
  expect(h.service.library.latest.passages[3]?.sentences).toEqual([HARBOUR_SENTENCE]);
  expect(HARBOUR_SENTENCE.length).toBeGreaterThan(4096);
});
afterAll(async () => h?.stop());
afterEach(() => {
  expect(refusedRequests(h)).toEqual([]);
});

/** The text shown in `messages`, in order: each embed's description, then its continuation fields, unescaped. */
function shownText(messages: readonly BotMessage[]): string {
  const parts = messages.flatMap((m) => m.embeds).flatMap((e) => [e.description ?? '', ...(e.fields ?? []).filter((f) => f.name === ZERO_WIDTH_SPACE).map((f) => f.value)]);
  return unescapeUserText(parts.filter(Boolean).join(' '));
}

/** The reply and its follow-ups, until `complete` says everything has arrived (a missing part times out). */
async function interactionParts(handle: InteractionHandle, complete: (parts: readonly BotMessage[]) => boolean): Promise<BotMessage[]> {
  const parts = [await handle.reply()];
  while (!complete(parts)) parts.push(await handle.followup(parts.length - 1));
  return parts;
}

const endsWithFooter = (footer: string) => (parts: readonly BotMessage[]) => parts.at(-1)?.embeds.at(-1)?.footer?.text === footer;

describe('/passage', () => {
  it('shows a 13,000-character paragraph whole, across messages, in the channel', async () => {
    const alice = h.fake.createUser('alice');
    const passage = h.fake.slashCommand({ user: alice, name: 'passage', options: { number: 2 } });
    const parts = await interactionParts(passage, endsWithFooter('Passage 2 of 5'));
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(shownText(parts)).toBe(h.service.library.latest.passages[1]?.text);
    expect(parts.map((p) => p.ephemeral)).toEqual(parts.map(() => false));
    expect(parts[0]?.embeds[0]).toMatchObject({ title: '¶2', author: { name: 'Pipeline inspectors file a very long report — Jane Doe' } });
    for (const part of parts) expect(part.allowed_mentions).toEqual({ parse: [] });
  });

  it('shows a 5,000-character paragraph whole in one message: the description, then fields', async () => {
    const alice = h.fake.createUser('alice');
    const passage = h.fake.slashCommand({ user: alice, name: 'passage', options: { number: 1 } });
    const parts = await interactionParts(passage, endsWithFooter('Passage 1 of 5'));
    expect(parts).toHaveLength(1);
    const embed = onlyEmbed(parts[0]!);
    expect(length(embed.description)).toBeGreaterThan(3500);
    expect(embed.fields?.length).toBeGreaterThan(0);
    expect(shownText(parts)).toBe(h.service.library.latest.passages[0]?.text);
  });

  it('shows a paragraph that is one sentence of more than 4,096 characters whole, broken only between words', async () => {
    const alice = h.fake.createUser('alice');
    const passage = h.fake.slashCommand({ user: alice, name: 'passage', options: { number: 4 } });
    const parts = await interactionParts(passage, endsWithFooter('Passage 4 of 5'));
    expect(shownText(parts)).toBe(HARBOUR_SENTENCE);
  });
});

describe('Show passages', () => {
  it('shows every cited passage in full, only to whoever clicks, in every part', async () => {
    const alice = h.fake.createUser('alice');
    const bob = h.fake.createUser('bob');
    const answer = await h.fake.slashCommand({ user: alice, name: 'ask', options: { question: 'How many barrels did the pipeline inspectors count?' } }).reply();
    const show = button(answer, 'Show passages');
    const action = parseCustomId(show);
    const cited = action?.kind === 'passages' ? [...action.passages] : [];
    expect([...cited].sort()).toEqual([1, 2, 3]);

    const click = h.fake.button({ user: bob, message: answer, customId: show });
    const lastFooter = `Passage ${cited.at(-1)} of 5`;
    const parts = await interactionParts(click, endsWithFooter(lastFooter));
    // About 25,000 characters: more than four messages' worth.
    expect(parts.length).toBeGreaterThanOrEqual(5);
    expect(parts.map((p) => p.ephemeral)).toEqual(parts.map(() => true));
    expect(parts.map((p) => p.interaction_metadata?.user.id)).toEqual(parts.map(() => bob.id));

    // Each passage, from its first card (title ¶N) to the card with its footer, is the passage's text.
    const cards = parts.flatMap((p) => p.embeds);
    for (const n of cited) {
      const start = cards.findIndex((c) => c.title === `¶${n}`);
      const end = cards.findIndex((c) => c.footer?.text === `Passage ${n} of 5`);
      expect(start).toBeGreaterThanOrEqual(0);
      expect(cards.slice(start + 1, end + 1).every((c) => c.title === `¶${n} (continued)`)).toBe(true);
      const asMessages = [{ embeds: cards.slice(start, end + 1) } as BotMessage];
      expect(shownText(asMessages)).toBe(h.service.library.latest.passages[n - 1]?.text);
    }
    // The answer in the channel is unchanged.
    expect(h.fake.messages.find((m) => m.id === answer.id)?.version).toBe(0);
  });
});

describe('answers longer than a message', () => {
  /** The full quote the answer must show: the harbour sentence, as the service quotes it. */
  async function expectedQuote(): Promise<string> {
    const result = await h.service.answer(HARBOUR_QUESTION);
    const quote = result.citations.find((c) => c.passage === 4)?.quote ?? '';
    expect(quote.length).toBeGreaterThan(4096);
    return quote;
  }

  it('a private /ask answer continues in private follow-ups, buttons on the first part', async () => {
    const quote = await expectedQuote();
    const alice = h.fake.createUser('alice');
    const ask = h.fake.slashCommand({ user: alice, name: 'ask', options: { question: HARBOUR_QUESTION, private: true } });
    const parts = await interactionParts(ask, (p) => shownText(p).includes(quote));
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((p) => p.ephemeral)).toEqual(parts.map(() => true));
    expect(parts[0]?.embeds[0]?.title).toBe(HARBOUR_QUESTION);
    expect(button(parts[0]!, '👍')).toMatch(/^vote:up:/);
    expect(parts.slice(1).map((p) => p.components ?? [])).toEqual(parts.slice(1).map(() => []));
  });

  it('a slow answer, deferred ("thinking…"), continues in follow-ups as private or public as the deferral', async () => {
    const quote = await expectedQuote();
    const held = new HeldService(h.service);
    // Defers after 10 ms instead of 1.5 s; the held question makes the answer slow for certain.
    const slow = await startBotHarness({ service: held, bot: { deferAfterMs: 10 } });
    try {
      for (const isPrivate of [true, false]) {
        const alice = slow.fake.createUser('alice');
        const ask = slow.fake.slashCommand({ user: alice, name: 'ask', options: { question: HARBOUR_QUESTION, private: isPrivate } });
        const question = await held.nextQuestion();
        expect((await ask.acknowledged()).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
        question.release();
        const parts = await interactionParts(ask, (p) => shownText(p).includes(quote));
        expect(parts.length).toBeGreaterThan(1);
        expect(parts.map((p) => p.ephemeral)).toEqual(parts.map(() => isPrivate));
        // The first part replaced "thinking…"; the rest followed it.
        expect(parts[0]?.id).toBe(ask.state.original?.id);
      }
      expect(refusedRequests(slow)).toEqual([]);
    } finally {
      await slow.stop();
    }
  });

  it('a mention is answered by several messages in order: a reply, then its continuation', async () => {
    const quote = await expectedQuote();
    const alice = h.fake.createUser('alice');
    const channel = h.fake.channels.general.id;
    const asked = h.fake.sendMessage({ author: alice, content: HARBOUR_QUESTION, mentionBot: true });
    const parts = [await h.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id)];
    while (!shownText(parts).includes(quote)) {
      const previous = BigInt(parts.at(-1)!.id);
      parts.push(await h.fake.waitForMessage((m) => m.channel_id === channel && BigInt(m.id) > previous));
    }
    expect(parts.length).toBeGreaterThan(1);
    // The continuation reads as one: no repeated "replying to" header, nobody pinged.
    expect(parts.slice(1).map((p) => p.message_reference)).toEqual(parts.slice(1).map(() => undefined));
    for (const part of parts) expect(part.allowed_mentions?.parse).toEqual([]);
    expect(h.fake.channelMessages(channel).map((m) => m.id).slice(-parts.length)).toEqual(parts.map((p) => p.id));
  });

  it('a question longer than the 256-character title limit is shown cut at a sentence end (the question, not the answer)', async () => {
    const alice = h.fake.createUser('alice');
    const question = `${'The inspectors wrote many things down. '.repeat(12)}How many barrels did the pipeline inspectors count?`;
    expect(question.length).toBeGreaterThan(256);
    const answer = await h.fake.slashCommand({ user: alice, name: 'ask', options: { question } }).reply();
    const title = answer.embeds[0]?.title ?? '';
    expect(length(title)).toBeLessThanOrEqual(256);
    expect(title).toMatch(/down\. …$/);
  });
});
