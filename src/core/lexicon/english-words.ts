import { readFileSync } from 'node:fs';
import wordListPath from 'word-list';

/**
 * Is a lower-case word an English word (any inflection)? Answered from the `word-list` package
 * (274,000 words, one per line, alphabetical): kept as one buffer with line offsets and searched by
 * bisection, about 4 MB instead of the ~45 MB a Set of the same words costs.
 *
 * Used to tell a question word the article does not use apart: an English word ("fired") may be a
 * synonym of something the article says, while a word no dictionary knows ("Zelensky", "Kharkiv")
 * is a name — strong evidence that the question is about something the article never mentions.
 */
export interface EnglishWords {
  has(word: string): boolean;
}

let shared: EnglishWords | undefined;

/** The dictionary, loaded once (about 20 ms) on first use. */
export function englishWords(): EnglishWords {
  shared ??= loadWordList(readFileSync(wordListPath));
  return shared;
}

/** Builds the lookup from newline-separated, (almost) sorted ASCII words. */
export function loadWordList(bytes: Buffer): EnglishWords {
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) lines++;
  const offsets = new Uint32Array(lines + 1);
  const strays = new Set<string>();
  let count = 0;
  let previous = -1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    if (i > start) {
      // The list has a couple of words out of alphabetical order; keep those aside so bisection holds.
      if (previous !== -1 && compareLines(bytes, start, previous) < 0) strays.add(bytes.toString('latin1', start, i));
      else {
        offsets[count++] = start;
        previous = start;
      }
    }
    start = i + 1;
  }
  const sorted = offsets.subarray(0, count);
  return {
    has(word) {
      if (strays.has(word)) return true;
      let lo = 0;
      let hi = sorted.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const order = compareWord(bytes, sorted[mid]!, word);
        if (order === 0) return true;
        if (order < 0) lo = mid + 1;
        else hi = mid - 1;
      }
      return false;
    },
  };
}

const NEWLINE = 0x0a;

/** Byte order of the lines starting at `a` and `b` (a line ends at a newline or the end). */
function compareLines(bytes: Buffer, a: number, b: number): number {
  for (;;) {
    const x = a < bytes.length && bytes[a] !== NEWLINE ? bytes[a]! : -1;
    const y = b < bytes.length && bytes[b] !== NEWLINE ? bytes[b]! : -1;
    if (x !== y || x === -1) return x - y;
    a++;
    b++;
  }
}

/** Order of the line starting at `start` against `word` (UTF-16 code units compared as bytes). */
function compareWord(bytes: Buffer, start: number, word: string): number {
  for (let i = 0; ; i++) {
    const x = start + i < bytes.length && bytes[start + i] !== NEWLINE ? bytes[start + i]! : -1;
    const y = i < word.length ? word.charCodeAt(i) : -1;
    if (x !== y || x === -1) return x - y;
  }
}
