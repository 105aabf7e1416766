import { describe, expect, it } from 'vitest';
import {
  escapeUserText,
  fitEmbed,
  fitEmbeds,
  formatPassageList,
  mentionsUser,
  parsePassageList,
  stripMentionsOf,
  threadNameFrom,
  totalLength,
  truncateText,
  unescapeUserText,
} from '../../src/discord/text.js';

const ZWSP = '\u200B';

describe('escapeUserText', () => {
  it('renders markdown literally', () => {
    expect(escapeUserText('**bold** _it_ `code` ~~s~~ ||spoiler||')).toBe('\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~ \\|\\|spoiler\\|\\|');
  });

  it('breaks @everyone, @here and user, role, channel and command mentions', () => {
    const out = escapeUserText('@everyone @here <@123456789012345678> <@!123456789012345678> <@&123456789012345678> <#123456789012345678> </ask:123456789012345678>');
    expect(out).not.toMatch(/@everyone|@here|<@\d|<@!\d|<@&\d|<#\d|<\/a/);
    expect(out.replaceAll(ZWSP, '')).toBe('@everyone @here <@123456789012345678> <@!123456789012345678> <@&123456789012345678> <#123456789012345678> </ask:123456789012345678>');
  });

  it('neutralises block quotes, headings and masked links at line starts', () => {
    expect(escapeUserText('> quoted')).toBe('\\> quoted');
    expect(escapeUserText('# Big')).toBe('\\# Big');
    expect(escapeUserText('[click](https://evil.example)')).toBe('\\[click](https://evil.example)');
  });

  it('round-trips through unescapeUserText', () => {
    const raw = 'Who said **"no"** to @everyone in <#1234567890123456789> at 5_000?';
    expect(unescapeUserText(escapeUserText(raw))).toBe(raw);
  });
});

describe('truncateText', () => {
  it('leaves text that fits alone', () => {
    expect(truncateText('Short.', 10)).toBe('Short.');
  });

  it('cuts at the last sentence that keeps at least half the room, marked with an ellipsis', () => {
    const text = 'The first sentence is here. The second one is longer and will not fit.';
    const out = truncateText(text, 45);
    expect(out).toBe('The first sentence is here. …');
    expect(out.length).toBeLessThanOrEqual(45);
  });

  it('does not treat an abbreviation followed by a lower-case word as a sentence end', () => {
    const out = truncateText('Officials of the U.S. government met on Friday to discuss the plan in detail.', 40);
    expect(out).not.toBe('Officials of the U.S. …');
    expect(out.endsWith('…')).toBe(true);
  });

  it('prefers a line break as a boundary', () => {
    expect(truncateText('line one is here\nline two is much longer than the room', 30)).toBe('line one is here …');
  });

  it('falls back to a word boundary, then to a hard cut', () => {
    expect(truncateText('alpha beta gamma delta epsilon', 18)).toBe('alpha beta gamma…');
    expect(truncateText('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('never splits a surrogate pair', () => {
    const out = truncateText('😀'.repeat(10), 6);
    expect(out.length).toBeLessThanOrEqual(6);
    expect(out).toBe('😀😀…');
  });

  it.each([1, 2, 10, 100, 1999, 2000])('always respects a limit of %i', (max) => {
    const text = 'Sentence number one. Another sentence follows! And a question? '.repeat(80);
    expect(truncateText(text, max).length).toBeLessThanOrEqual(max);
  });
});

describe('fitEmbeds', () => {
  it('applies per-part limits', () => {
    const embed = fitEmbed({
      title: 't'.repeat(300),
      description: 'd. '.repeat(2000),
      author: { name: 'a'.repeat(300) },
      footer: { text: 'f'.repeat(3000) },
      fields: Array.from({ length: 30 }, (_, i) => ({ name: `n${i}`, value: 'v'.repeat(10) })),
    });
    expect(embed.title!.length).toBeLessThanOrEqual(256);
    expect(embed.description!.length).toBeLessThanOrEqual(4096);
    expect(embed.author!.name.length).toBeLessThanOrEqual(256);
    expect(embed.footer!.text.length).toBeLessThanOrEqual(2048);
    expect(embed.fields).toHaveLength(25);
    expect(totalLength([embed])).toBeLessThanOrEqual(6000);
  });

  it('cuts long field values to 1024 and fills empty ones', () => {
    const embed = fitEmbed({ fields: [{ name: '', value: 'x '.repeat(1000) }] });
    expect(embed.fields![0]!.value.length).toBeLessThanOrEqual(1024);
    expect(embed.fields![0]!.name).toBe(ZWSP);
  });

  it('shares the 6000-character total between several embeds in proportion', () => {
    const long = 'This passage is long. '.repeat(180); // ~3960 chars each
    const fitted = fitEmbeds([
      { title: '¶1', description: long },
      { title: '¶2', description: long },
      { title: '¶3', description: long.slice(0, 400) },
    ]);
    expect(totalLength(fitted)).toBeLessThanOrEqual(6000);
    expect(fitted.every((e) => (e.description?.length ?? 0) > 100)).toBe(true);
    expect(fitted[0]!.description!.endsWith('…')).toBe(true);
  });

  it('keeps at most 10 embeds and leaves fitting embeds untouched', () => {
    const embeds = Array.from({ length: 12 }, (_, i) => ({ title: `¶${i + 1}`, description: 'Short.' }));
    const fitted = fitEmbeds(embeds);
    expect(fitted).toHaveLength(10);
    expect(fitted[0]).toEqual({ title: '¶1', description: 'Short.' });
  });

  it('drops an empty description instead of sending one Discord rejects', () => {
    expect(fitEmbed({ title: 'T', description: '' })).toEqual({ title: 'T' });
  });
});

describe('mentions and names', () => {
  const bot = '123456789012345678';

  it('recognises only explicit mentions of the bot', () => {
    expect(mentionsUser(`<@${bot}> hi`, bot)).toBe(true);
    expect(mentionsUser(`<@!${bot}> hi`, bot)).toBe(true);
    expect(mentionsUser('@everyone hi', bot)).toBe(false);
    expect(mentionsUser(`<@&${bot}> hi`, bot)).toBe(false);
    expect(mentionsUser('<@987654321098765432> hi', bot)).toBe(false);
  });

  it('strips every mention of the bot and folds the space left behind', () => {
    expect(stripMentionsOf(`<@${bot}>  who   said it? <@!${bot}>`, bot)).toBe('who said it?');
    expect(stripMentionsOf(`<@${bot}>`, bot)).toBe('');
  });

  it('makes thread names of at most 100 characters on one line', () => {
    expect(threadNameFrom('Who\nsaid   it?')).toBe('Who said it?');
    const long = threadNameFrom('word '.repeat(60));
    expect(long.length).toBeLessThanOrEqual(100);
    expect(long.endsWith('…')).toBe(true);
    expect(threadNameFrom('   ')).toBe('Question');
  });

  it('formats and parses passage lists', () => {
    expect(formatPassageList([12, 14, 3])).toBe('¶12, ¶14, ¶3');
    expect(parsePassageList('¶12, ¶14, ¶3')).toEqual([12, 14, 3]);
  });
});
