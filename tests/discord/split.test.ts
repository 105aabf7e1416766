import { describe, expect, it } from 'vitest';
import { splitText, TextFlow } from '../../src/discord/split.js';

/**
 * The splitter behind every long text the bot shows: nothing lost, every part within the limit,
 * cuts at sentence ends — and only inside a sentence (at a word) or a word (between characters)
 * when that alone is longer than the limit.
 */

/**
 * Asserts the parts are `text` cut at white space (or, inside an over-long word, between two
 * characters): each part within `max`, trimmed, not empty, no half of a surrogate pair at an end;
 * returns where each part starts and ends in `text`.
 */
function expectFaithful(text: string, parts: readonly string[], max: number): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let at = text.length - text.trimStart().length;
  for (const part of parts) {
    expect(part.length).toBeGreaterThan(0);
    expect(part.length).toBeLessThanOrEqual(max);
    expect(part).toBe(part.trim());
    expect(part).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    expect(text.startsWith(part, at), `part ${spans.length} continues the text at ${at}`).toBe(true);
    spans.push({ start: at, end: at + part.length });
    at += part.length;
    while (at < text.length && /\s/.test(text.charAt(at))) at++;
  }
  expect(at).toBe(text.length);
  return spans;
}

/** Sentences joined by a space, with the offsets where each starts and ends. */
function joinSentences(sentences: readonly string[]): { text: string; starts: Set<number>; ends: Set<number> } {
  const starts = new Set<number>();
  const ends = new Set<number>();
  let text = '';
  for (const sentence of sentences) {
    if (text) text += ' ';
    starts.add(text.length);
    text += sentence;
    ends.add(text.length);
  }
  return { text, starts, ends };
}

/** A deterministic pseudo-random generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('splitText', () => {
  it('keeps text that fits as one part, and gives no parts for empty or blank text', () => {
    expect(splitText('One sentence. Another one.', 100)).toEqual(['One sentence. Another one.']);
    expect(splitText('  padded  ', 100)).toEqual(['padded']);
    expect(splitText('', 100)).toEqual([]);
    expect(splitText(' \n\t ', 100)).toEqual([]);
  });

  it('packs many small sentences into as few parts as the limit allows, each cut at a sentence end', () => {
    const next = random(1);
    const sentences = Array.from({ length: 600 }, (_, i) => `Sentence ${i} says ${'more '.repeat(Math.floor(next() * 30))}than the last one.`);
    const { text, starts, ends } = joinSentences(sentences);
    const parts = splitText(text, 1024);
    const spans = expectFaithful(text, parts, 1024);
    for (const span of spans) {
      expect(starts.has(span.start)).toBe(true);
      expect(ends.has(span.end)).toBe(true);
    }
    // Greedy: the next sentence would not have fitted in any part but the last.
    for (let i = 0; i < parts.length - 1; i++) {
      const nextSentence = text.slice(spans[i + 1]!.start).split(/(?<=\.) /)[0]!;
      expect(parts[i]!.length + 1 + nextSentence.length).toBeGreaterThan(1024);
    }
  });

  it('breaks one huge sentence at word boundaries, filling each part', () => {
    const words = Array.from({ length: 2500 }, (_, i) => `word${i}`);
    const text = `${words.join(' ')}.`;
    const parts = splitText(text, 4096);
    expectFaithful(text, parts, 4096);
    for (const [i, part] of parts.entries()) {
      expect(part).toMatch(/^word\d+/);
      // Full but for less than a word (and its space).
      if (i < parts.length - 1) expect(part.length).toBeGreaterThan(4096 - 'word2499 '.length);
    }
  });

  it('breaks only the sentence that is too long: its neighbours stay whole', () => {
    const huge = `The inspectors listed ${Array.from({ length: 900 }, (_, i) => `depot ${i}`).join(', ')} in one breath.`;
    expect(huge.length).toBeGreaterThan(3 * 1024);
    const before = ['First short sentence.', 'Second short sentence.'];
    const after = ['Third short sentence.', 'Fourth short sentence.'];
    const { text, starts, ends } = joinSentences([...before, huge, ...after]);
    const parts = splitText(text, 1024);
    const spans = expectFaithful(text, parts, 1024);
    const hugeStart = text.indexOf(huge);
    const hugeEnd = hugeStart + huge.length;
    expect(parts[0]).toBe(before.join(' '));
    for (const span of spans) {
      // A cut outside the huge sentence is a sentence boundary.
      if (span.start <= hugeStart || span.start >= hugeEnd) expect(starts.has(span.start)).toBe(true);
      if (span.end <= hugeStart || span.end >= hugeEnd) expect(ends.has(span.end)).toBe(true);
    }
    expect(parts.at(-1)).toMatch(/in one breath\. Third short sentence\. Fourth short sentence\.$/);
  });

  it('cuts a word longer than the limit between characters, filling each part', () => {
    const url = `https://example.com/${'a'.repeat(5000)}`;
    const parts = splitText(`See ${url} for more.`, 2000);
    expect(parts).toEqual(['See', url.slice(0, 2000), url.slice(2000, 4000), `${url.slice(4000)} for more.`]);
  });

  it('never splits an emoji: neither a surrogate pair nor a joined sequence', () => {
    const smileys = '😀'.repeat(3000);
    const parts = splitText(smileys, 4095);
    expectFaithful(smileys, parts, 4095);
    expect(parts.map((p) => p.length)).toEqual([4094, 1906]);

    const family = '👨‍👩‍👧'; // 8 code units, one character on screen
    const families = family.repeat(100);
    const familyParts = splitText(families, 20);
    expectFaithful(families, familyParts, 20);
    for (const part of familyParts) expect(part).toBe(family.repeat(part.length / family.length));
    expect(familyParts[0]).toBe(family.repeat(2));

    const flags = '🇺🇦🇩🇪'.repeat(50); // a flag is two regional indicators, 4 code units
    expect(splitText(flags, 7)).toEqual(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? '🇺🇦' : '🇩🇪')));
  });

  it('falls back to code points for a single character longer than the limit', () => {
    const family = '👨‍👩‍👧';
    expect(splitText(family, 3)).toEqual(['👨\u200d', '👩\u200d', '👧']);
  });

  it('respects exactly-at-limit sizes', () => {
    const exact = 'x'.repeat(2000);
    expect(splitText(exact, 2000)).toEqual([exact]);
    expect(splitText(`${exact}y`, 2000)).toEqual([exact, 'y']);

    const first = `${'a'.repeat(49)}.`;
    const second = `B${'b'.repeat(48)}.`;
    const pair = `${first} ${second}`; // 50 + 1 + 50
    expect(splitText(pair, 101)).toEqual([pair]);
    expect(splitText(pair, 100)).toEqual([first, second]);
    expect(splitText(pair, 50)).toEqual([first, second]);

    const emoji = `${'a'.repeat(2)}😀`; // 4 code units
    expect(splitText(emoji, 4)).toEqual([emoji]);
    expect(splitText(emoji, 3)).toEqual(['aa', '😀']);
    expect(splitText('😀😀', 3)).toEqual(['😀', '😀']);
  });

  it('keeps a markdown escape with the character it escapes', () => {
    const escaped = '\\*'.repeat(100);
    for (const max of [3, 7, 51]) {
      const parts = splitText(escaped, max);
      expect(parts.join('')).toBe(escaped);
      for (const part of parts) expect(part).toMatch(/^(?:\\\*)+$/);
    }
  });

  it('does not cut after a title or an initialism', () => {
    // Were "Mr." or "U.S." an end, the first part would take it along: "It rained. Mr."
    expect(splitText('It rained. Mr. Smith came home.', 20)).toEqual(['It rained.', 'Mr. Smith came home.']);
    expect(splitText('It rained. U.S. President Biden spoke.', 28)).toEqual(['It rained.', 'U.S. President Biden spoke.']);
  });

  it('cuts at line breaks, keeping blank lines inside a part and dropping them at a cut', () => {
    const text = '“First quote.” — **¶17**\n\n“Second quote.” — **¶18**\n\n“Third quote.” — **¶3**';
    expect(splitText(text, 60)).toEqual(['“First quote.” — **¶17**\n\n“Second quote.” — **¶18**', '“Third quote.” — **¶3**']);
  });

  it('rejects a limit that cannot hold a character', () => {
    expect(() => splitText('text', 1)).toThrow(RangeError);
    expect(() => splitText('text', 0)).toThrow(RangeError);
  });

  it('holds its promises on random text of every kind and limits down to 2', () => {
    const next = random(42);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const tokens = ['word', 'Sentence.', 'end!', 'Why?', 'x'.repeat(40), '😀', '👨‍👩‍👧', '\\*', '“Quote.”', 'U.S.', 'Mr.', '\n', '\n\n', '  ', '—', 'é', '🇺🇦'];
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: Math.floor(next() * 200) }, () => pick(tokens)).join(pick([' ', ' ', '', '\n']));
      const max = 2 + Math.floor(next() * 120);
      const parts = splitText(text, max);
      expectFaithful(text, parts, max);
    }
  });
});

describe('TextFlow', () => {
  it('waits for a bigger room rather than break a sentence that a bigger room could hold', () => {
    const flow = new TextFlow('A short one. A much longer second sentence follows here.');
    expect(flow.take(20, false)).toBe('A short one.');
    expect(flow.take(20, false)).toBe('');
    expect(flow.done).toBe(false);
    expect(flow.take(20, true)).toBe('A much longer second');
    expect(flow.take(100, false)).toBe('sentence follows here.');
    expect(flow.done).toBe(true);
  });
});
