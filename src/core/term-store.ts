import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWholeFile } from './files.js';

/**
 * Stores the terms of an article's passages (`terms.json`, next to its vectors), so that a
 * library starts without analysing every passage again: at a thousand articles the analysis took
 * about a second of a start-up meant to last three, while reading the stored terms takes a tenth
 * of that. The lexical index is persisted like the dense one, as search engines persist theirs.
 *
 * Stored terms are used only while they were made by the same analysis: the file records a
 * fingerprint of the code that analyses (every module in this folder, as this running copy of
 * the program has them, and the versions of the word lists and stemmer it uses). Any change to
 * it, even one that changes no term, makes the terms be worked out again once.
 */

export const TERMS_FORMAT_VERSION = 1;
const TERMS_FILE = 'terms.json';
/** The packages whose data or code shape the terms (see terms.ts). */
const ANALYSIS_PACKAGES = ['wink-porter2-stemmer', 'world-countries', 'english-verbs-irregular'];

interface StoredTerms {
  readonly formatVersion: number;
  readonly analyzer: string;
  readonly articleHash: string;
  /** Each passage's terms joined by single spaces (no term holds white space). */
  readonly passages: readonly string[];
}

let fingerprint: string | undefined;

/** sha256 over this folder's modules (recursively) and the analysis packages' versions; computed once. */
export function analyzerFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = createHash('sha256');
  const here = path.dirname(fileURLToPath(import.meta.url));
  const files = (readdirSync(here, { recursive: true }) as string[]).filter((f) => /\.(?:[cm]?js|ts)$/.test(f) && !f.endsWith('.d.ts')).sort();
  for (const file of files) hash.update(file).update('\u0000').update(readFileSync(path.join(here, file))).update('\u0000');
  const require = createRequire(import.meta.url);
  for (const name of ANALYSIS_PACKAGES) {
    let version = 'unknown';
    try {
      version = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      // A package that hides its package.json: its version cannot take part.
    }
    hash.update(`${name}@${version}\u0000`);
  }
  return (fingerprint = hash.digest('hex'));
}

/**
 * The stored terms of each passage (joined by spaces, as stored) if they match the article and
 * this analysis; undefined otherwise. Never throws.
 */
export async function loadPassageTerms(dir: string, articleHash: string, passageCount: number): Promise<readonly string[] | undefined> {
  let stored: StoredTerms;
  try {
    stored = JSON.parse((await readWholeFile(path.join(dir, TERMS_FILE))).toString('utf8')) as StoredTerms;
  } catch {
    return undefined;
  }
  if (
    stored?.formatVersion !== TERMS_FORMAT_VERSION ||
    stored.analyzer !== analyzerFingerprint() ||
    stored.articleHash !== articleHash ||
    !Array.isArray(stored.passages) ||
    stored.passages.length !== passageCount ||
    !stored.passages.every((p) => typeof p === 'string')
  ) {
    return undefined;
  }
  return stored.passages;
}

/**
 * Writes the terms (atomically: a temporary file renamed into place). Does nothing when a term
 * holds white space, which the analysis never makes; a failed write only costs the next start
 * the analysis, so it is not an error.
 */
export async function savePassageTerms(dir: string, articleHash: string, passages: readonly (readonly string[])[]): Promise<void> {
  if (passages.some((terms) => terms.some((t) => /\s/.test(t) || t === ''))) return;
  const stored: StoredTerms = { formatVersion: TERMS_FORMAT_VERSION, analyzer: analyzerFingerprint(), articleHash, passages: passages.map(joinTerms) };
  try {
    await mkdir(dir, { recursive: true });
    const temporary = path.join(dir, `${TERMS_FILE}.${process.pid}.${Date.now()}.tmp`);
    await writeFile(temporary, JSON.stringify(stored));
    await rename(temporary, path.join(dir, TERMS_FILE));
  } catch {
    // Read-only or full disk: the terms are worked out again next time.
  }
}

/** A passage's terms as stored and as the library's routing index reads them: joined by single spaces. */
export function joinTerms(terms: readonly string[]): string {
  return terms.join(' ');
}

/** The terms of a stored line. */
export function splitTerms(line: string): string[] {
  return line === '' ? [] : line.split(' ');
}
