import { ButtonStyle, ComponentType, type APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { layoutReply } from '../../src/discord/layout.js';
import type { Reply } from '../../src/discord/respond.js';
import { ZERO_WIDTH_SPACE } from '../../src/discord/text.js';
import { FormErrorCollector } from '../support/fake-discord/errors.js';
import { isEmptyMessage, validateMessageFields } from '../support/fake-discord/validation.js';

/** Replies laid out as messages: within every limit Discord checks, nothing cut, in reading order. */

/** What Discord would refuse in `message` (the fake's own validation), or undefined. */
function refusal(message: Reply): unknown {
  const form = new FormErrorCollector();
  const body = { ...message } as Record<string, unknown>;
  validateMessageFields(body, form);
  if (isEmptyMessage(body)) return 'empty message';
  return form.count > 0 ? form.errors : undefined;
}

/** The text of `embeds` as shown: each card's description, then its continuation fields. */
function flowedText(embeds: readonly APIEmbed[]): string[] {
  return embeds.flatMap((e) => [e.description ?? '', ...(e.fields ?? []).filter((f) => f.name === ZERO_WIDTH_SPACE).map((f) => f.value)]).filter(Boolean);
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** About `chars` characters of numbered sentences of varying length. */
function sentences(chars: number, topic = 'barrels'): string {
  const out: string[] = [];
  for (let i = 1; out.join(' ').length < chars; i++) out.push(`Line ${i} counts ${topic}${' and more'.repeat(i % 9)} at depot ${i}.`);
  return out.join(' ');
}

const passageEmbed = (n: number, text: string): APIEmbed => ({
  color: 0x5865f2,
  author: { name: 'Pipeline inspectors file a very long report — Jane Doe' },
  title: `¶${n}`,
  description: text,
  footer: { text: `Passage ${n} of 30` },
});

const votes: Reply['components'] = [
  {
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👍' }, custom_id: 'vote:up:abc' }],
  },
];

describe('layoutReply', () => {
  it('leaves a reply that fits as it is', () => {
    const reply: Reply = { content: 'Hello.', embeds: [passageEmbed(1, 'Short text.')], components: votes };
    expect(layoutReply(reply)).toEqual([reply]);
    expect(layoutReply({ content: '' })).toEqual([{ content: '' }]);
    expect(layoutReply({ embeds: [] })).toEqual([{ embeds: [] }]);
  });

  it('shows a 13,000-character passage whole: description, fields, further cards and messages, each message nearly full', () => {
    const text = sentences(13_000);
    const messages = layoutReply({ embeds: [passageEmbed(7, text)] });
    for (const message of messages) expect(refusal(message)).toBeUndefined();
    expect(messages.length).toBe(3);
    const cards = messages.flatMap((m) => m.embeds ?? []);
    expect(flowedText(cards).join(' ')).toBe(text);
    // Each message but the last holds close to the 6,000 characters allowed.
    for (const message of messages.slice(0, -1)) expect(flowedText(message.embeds ?? []).join('').length).toBeGreaterThan(5500);

    expect(cards[0]).toMatchObject({ author: { name: expect.any(String) }, title: '¶7' });
    expect(cards.slice(1).map((c) => c.title)).toEqual(cards.slice(1).map(() => '¶7 (continued)'));
    expect(cards.map((c) => c.footer?.text)).toEqual([...cards.slice(1).map(() => undefined), 'Passage 7 of 30']);
    // Every cut at a sentence end.
    for (const part of flowedText(cards)) expect(part).toMatch(/^Line \d+ .*\.$/);
  });

  it('packs short passages ten cards to a message, in order, each whole', () => {
    const embeds = Array.from({ length: 25 }, (_, i) => passageEmbed(i + 1, sentences(300, `item ${i + 1}`)));
    const messages = layoutReply({ content: '¶99 is no longer in the article.', embeds });
    expect(messages.map((m) => m.embeds?.length)).toEqual([10, 10, 5]);
    expect(messages.map((m) => m.content)).toEqual(['¶99 is no longer in the article.', undefined, undefined]);
    for (const message of messages) expect(refusal(message)).toBeUndefined();
    expect(messages.flatMap((m) => m.embeds ?? [])).toEqual(embeds);
  });

  it('continues a long answer after its first card, keeping its sources and buttons with the beginning', () => {
    const quotes = [sentences(3000, 'crude'), sentences(3000, 'diesel'), sentences(3000, 'kerosene')].map((q, i) => `“${q}” — **¶${i + 1}**`);
    const answer: APIEmbed = {
      author: { name: 'Pipeline inspectors file a very long report' },
      title: 'How many barrels did they count?',
      description: quotes.join('\n\n'),
      fields: [{ name: 'Sources', value: '¶1, ¶2, ¶3' }],
      footer: { text: 'lexical search only' },
    };
    const messages = layoutReply({ embeds: [answer], components: votes });
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(refusal(message)).toBeUndefined();
    expect(messages.map((m) => m.components)).toEqual([votes, ...messages.slice(1).map(() => undefined)]);
    const cards = messages.flatMap((m) => m.embeds ?? []);
    expect(cards[0]?.fields?.at(-1)).toEqual({ name: 'Sources', value: '¶1, ¶2, ¶3' });
    expect(cards.slice(1).every((c) => !c.fields?.some((f) => f.name === 'Sources'))).toBe(true);
    expect(cards.at(-1)?.footer).toEqual({ text: 'lexical search only' });
    expect(oneLine(flowedText(cards).join(' '))).toBe(oneLine(answer.description ?? ''));
  });

  it('moves a sentence too long for a field but not for a description to the next card whole', () => {
    const long = `The long sentence lists ${Array.from({ length: 250 }, (_, i) => `depot ${i}`).join(', ')}.`;
    expect(long.length).toBeGreaterThan(1024);
    expect(long.length).toBeLessThan(4096);
    const text = `${sentences(3900)} ${long} The end.`;
    const messages = layoutReply({ embeds: [passageEmbed(3, text)] });
    const parts = flowedText(messages.flatMap((m) => m.embeds ?? []));
    expect(parts.some((part) => part.startsWith(long))).toBe(true);
    expect(parts.join(' ')).toBe(text);
  });

  it('breaks a sentence longer than any card at words, filling a whole description', () => {
    const huge = `The harbour master listed ${Array.from({ length: 1200 }, (_, i) => `keeper ${i}`).join(', ')}.`;
    expect(huge.length).toBeGreaterThan(6000);
    const messages = layoutReply({ embeds: [passageEmbed(4, `Before it. ${huge} After it.`)] });
    for (const message of messages) expect(refusal(message)).toBeUndefined();
    const cards = messages.flatMap((m) => m.embeds ?? []);
    expect(cards[0]?.description).toBe('Before it.');
    expect(cards[1]?.description?.length).toBeGreaterThan(4096 - ' keeper 1199,'.length);
    expect(flowedText(cards).join(' ')).toBe(`Before it. ${huge} After it.`);
  });

  it('splits content over 2,000 characters at sentence ends; the embeds follow the last part', () => {
    const content = sentences(5000);
    const messages = layoutReply({ content, embeds: [passageEmbed(1, 'Short.')], components: votes });
    expect(messages.length).toBe(3);
    for (const message of messages) expect(refusal(message)).toBeUndefined();
    expect(messages.map((m) => m.content).join(' ')).toBe(content);
    expect(messages.map((m) => m.embeds?.length ?? 0)).toEqual([0, 0, 1]);
    expect(messages[0]?.components).toBe(votes);
  });
});
