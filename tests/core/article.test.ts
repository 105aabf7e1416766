import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/core/article.js';

const seed = parseArticle(readFileSync(new URL('../../articles/us-escalates-conflict-2022-09-16.txt', import.meta.url), 'utf8'));
const allText = seed.passages.map((p) => p.text).join('\n');

describe('parseArticle on the seed article', () => {
  it('reads headline, byline and date from the front matter', () => {
    expect(seed.headline).toBe('After Russian debacle in Ukraine, US escalates conflict with Russia and China');
    expect(seed.author).toBe('Andre Damon');
    expect(seed.date).toBe('16 September 2022');
    expect(seed.isoDate).toBe('2022-09-16');
  });

  it('numbers passages from ¶1, starting with the first paragraph of the body', () => {
    expect(seed.passages[0]!.number).toBe(1);
    expect(seed.passages[0]!.text).toMatch(/^Following the collapse of Moscow's northern front/);
    expect(seed.passages.map((p) => p.number)).toEqual(seed.passages.map((_, i) => i + 1));
  });

  it('resolves markdown escapes', () => {
    expect(allText).toContain('an additional $600 million in weapons');
    expect(allText).not.toContain('\\$');
  });

  it('strips emphasis markers but keeps the words', () => {
    expect(allText).toContain('In a statement to the Financial Times, Alexander Gabuev');
    expect(allText).not.toContain('*');
  });

  it('joins a sentence broken across a blank line into one passage', () => {
    const rubio = seed.passages.find((p) => p.text.startsWith('Senator Marco Rubio'))!;
    expect(rubio.text).toContain('the longer-range missiles could target deep inside of Russia');
    const last = seed.passages.at(-1)!;
    expect(last.text).toBe(
      'Emboldened by the Russian debacle in Northern Ukraine, the US is only escalating its preparations for a global military conflict that threatens all of humanity.',
    );
  });

  it('drops the contact footer', () => {
    expect(allText).not.toMatch(/To contact|wsws\.org/i);
    expect(seed.passages).toHaveLength(25);
  });

  it('keeps a multi-sentence quote together with its attribution', () => {
    const mcconnell = seed.passages.find((p) => p.text.includes('McConnell said'))!;
    expect(mcconnell.sentences).toHaveLength(1);
    expect(mcconnell.sentences[0]).toMatch(/^"The Ukrainians need more weapons.*McConnell said\.$/);
    const modi = seed.passages.find((p) => p.text.includes('Modi told Putin'))!;
    expect(modi.sentences).toContain(
      `"I know that today's era is not an era of war, and I have spoken to you on the phone about this," Modi told Putin.`,
    );
  });
});

describe('parseArticle on other layouts', () => {
  const other = parseArticle(
    [
      '# City council approves *new* bike lanes',
      '',
      'By Jane Q. Public | Metro desk',
      'March 3, 2021',
      '',
      'The council voted 7–2 on Tuesday to add 12 miles of protected bike lanes, costing \\$4.2 million.',
      '',
      '"This is a safer city. It is long overdue," Mayor Lee said. Opponents, led by Dr. Ann Smith of the U.S. Chamber, objected.',
      '',
      'Construction starts in',
      '',
      'the spring and ends by 2023.',
      '',
      'Read the full report at example.org/report, the council said.',
      '',
      'Subscribe to our newsletter for more local news.',
      '',
      '© 2021 Example News. All rights reserved.',
      'https://example.org',
    ].join('\r\n'),
  );

  it('reads a markdown headline, a "By" byline with a desk and a US-style date', () => {
    expect(other.headline).toBe('City council approves new bike lanes');
    expect(other.author).toBe('Jane Q. Public');
    expect(other.date).toBe('March 3, 2021');
    expect(other.isoDate).toBe('2021-03-03');
  });

  it('keeps content that mentions a website but drops subscription, copyright and link lines', () => {
    expect(other.passages.map((p) => p.text)).toEqual([
      'The council voted 7–2 on Tuesday to add 12 miles of protected bike lanes, costing $4.2 million.',
      '"This is a safer city. It is long overdue," Mayor Lee said. Opponents, led by Dr. Ann Smith of the U.S. Chamber, objected.',
      'Construction starts in the spring and ends by 2023.',
      'Read the full report at example.org/report, the council said.',
    ]);
  });

  it('does not end sentences at abbreviations or inside a balanced quote', () => {
    expect(other.passages[1]!.sentences).toEqual([
      '"This is a safer city. It is long overdue," Mayor Lee said.',
      'Opponents, led by Dr. Ann Smith of the U.S. Chamber, objected.',
    ]);
  });

  it('works without byline or date', () => {
    const bare = parseArticle('Headline only\n\nFirst paragraph here.\n\nSecond one.');
    expect(bare).toMatchObject({ headline: 'Headline only', author: undefined, date: undefined });
    expect(bare.passages.map((p) => p.text)).toEqual(['First paragraph here.', 'Second one.']);
  });

  it('rejects a text with no paragraphs', () => {
    expect(() => parseArticle('Just a headline')).toThrow(/no paragraphs/);
  });
});
