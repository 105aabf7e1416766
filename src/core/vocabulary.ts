import { distance } from 'fastest-levenshtein';
import { englishWords } from './lexicon/english-words.js';
import { tokenize, termOf } from './terms.js';

/**
 * The words an article uses, for matching a question's misspellings to them ("mcconel" →
 * "McConnell", "refinerys" → "refineries"). Edit distance as search engines allow it: none for
 * words of 1–2 letters, 1 for 3–5, 2 for longer words; the first letter must agree (people rarely
 * mistype it, and requiring it keeps the search to a small bucket even for a large library).
 */
export interface Vocabulary {
  /** True when the article uses the term. */
  has(term: string): boolean;
  /**
   * The article's terms that are another form of `term`: one a prefix of the other, sharing at least
   * `minPrefix` letters and differing by at most `maxExtra` ("deliveri" → "deliv").
   */
  variants(term: string, minPrefix: number, maxExtra: number): readonly string[];
  /** The terms of a name the article spells out that `word` abbreviates by initials ("sco" → Shanghai Cooperation Organization). */
  acronym(word: string): readonly string[];
  /** The article's words within typo distance of `word` (never `word` itself), closest first. */
  corrections(word: string): ReadonlyArray<{ readonly word: string; readonly term: string; readonly distance: number }>;
}

/**
 * Edits between two words, as typists make them: Levenshtein's inserts, deletions and
 * substitutions, and a swap of two neighbouring letters as one edit ("jounral"), not two: Damerau
 * (1964) found these four make up most single-error misspellings.
 */
export function typoEdits(a: string, b: string): number {
  const edits = distance(a, b);
  return edits === 2 && isSwap(a, b) ? 1 : edits;
}

/** True when `b` is `a` with two neighbouring letters swapped. */
function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const at = [...a].findIndex((c, i) => c !== b[i]);
  return at >= 0 && at + 1 < a.length && a[at] === b[at + 1] && a[at + 1] === b[at] && a.slice(at + 2) === b.slice(at + 2);
}

/** Maximum edit distance for a word of this length (Elasticsearch's "AUTO" fuzziness). */
export function typoDistance(length: number): number {
  return length <= 2 ? 0 : length <= 5 ? 1 : 2;
}

/** True for a tail that is a word of its own (a compound's second half), not an inflection. */
function isWord(tail: string): boolean {
  return tail.length >= 2 && englishWords().has(tail);
}

/** Terms sharing `term`'s first five letters that are another form of it (see `Vocabulary.variants`). */
function prefixVariants(termsByPrefix: ReadonlyMap<string, ReadonlySet<string>>, term: string, minPrefix: number, maxExtra: number): string[] {
  if (term.length < minPrefix || minPrefix < 5) return [];
  const out: string[] = [];
  for (const candidate of termsByPrefix.get(term.slice(0, 5)) ?? []) {
    if (candidate === term || Math.abs(candidate.length - term.length) > maxExtra) continue;
    const [short, long] = candidate.length < term.length ? [candidate, term] : [term, candidate];
    // "deliveri"/"deliv" are forms of one word; "startup"/"start" are two words.
    if (short.length >= minPrefix && long.startsWith(short) && !isWord(long.slice(short.length))) out.push(candidate);
  }
  return out;
}

/** @param has whether the article uses a term (the BM25 index knows). */
export function buildVocabulary(texts: readonly string[], has: (term: string) => boolean): Vocabulary {
  const byFirstLetter = new Map<string, Array<{ word: string; term: string }>>();
  const termsByPrefix = new Map<string, Set<string>>();
  const acronyms = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const text of texts) {
    // Names of two to six capitalised words, by their initials: "People's Liberation Army" → "pla".
    for (const run of text.matchAll(/\p{Lu}[\p{L}'’-]*(?:\s+(?:of|for|the|and|de)?\s*\p{Lu}[\p{L}'’-]*){1,5}/gu)) {
      const words = run[0].split(/\s+/).filter((w) => /^\p{Lu}/u.test(w));
      const initials = words.map((w) => w[0]!.toLowerCase()).join('');
      if (words.length >= 2 && !acronyms.has(initials)) acronyms.set(initials, words.flatMap((w) => termOf(w.toLowerCase().replace(/['’]s$/, ''))?.term ?? []));
    }
    for (const token of tokenize(text)) {
      const word = token.word.toLowerCase();
      if (seen.has(word) || !/^[a-z]{3,}$/.test(word)) continue;
      seen.add(word);
      const term = termOf(token.word);
      if (!term) continue;
      if (term.term.length >= 5) {
        const key = term.term.slice(0, 5);
        termsByPrefix.set(key, (termsByPrefix.get(key) ?? new Set()).add(term.term));
      }
      const bucket = byFirstLetter.get(word[0]!) ?? [];
      bucket.push({ word, term: term.term });
      byFirstLetter.set(word[0]!, bucket);
    }
  }
  return {
    has,
    variants: (term, minPrefix, maxExtra) => prefixVariants(termsByPrefix, term, minPrefix, maxExtra),
    acronym(word) {
      return acronyms.get(word) ?? [];
    },
    corrections(word) {
      const max = typoDistance(word.length);
      if (max === 0) return [];
      const found: Array<{ word: string; term: string; distance: number }> = [];
      for (const candidate of byFirstLetter.get(word[0]!) ?? []) {
        if (Math.abs(candidate.word.length - word.length) > max || candidate.word === word) continue;
        const d = typoEdits(word, candidate.word);
        if (d <= max) found.push({ ...candidate, distance: d });
      }
      return found.sort((a, b) => a.distance - b.distance);
    },
  };
}

/**
 * A vocabulary from index terms alone (no texts to read): what a library's routing needs to
 * correct a question's typos over a thousand articles without reading them again. Corrections
 * compare the word's own term with the library's terms (stems, so "refinerys" and "refineries"
 * meet at "refineri"); acronyms are left to each article, which knows its names.
 */
export function buildTermVocabulary(indexTerms: Iterable<string>, has: (term: string) => boolean): Vocabulary {
  const byFirstLetter = new Map<string, string[]>();
  const termsByPrefix = new Map<string, Set<string>>();
  for (const term of indexTerms) {
    if (!/^[a-z]{3,}$/.test(term)) continue;
    if (term.length >= 5) {
      const key = term.slice(0, 5);
      termsByPrefix.set(key, (termsByPrefix.get(key) ?? new Set()).add(term));
    }
    const bucket = byFirstLetter.get(term[0]!) ?? [];
    bucket.push(term);
    byFirstLetter.set(term[0]!, bucket);
  }
  return {
    has,
    variants: (term, minPrefix, maxExtra) => prefixVariants(termsByPrefix, term, minPrefix, maxExtra),
    acronym: () => [],
    corrections(word) {
      const own = termOf(word)?.term ?? word;
      const max = typoDistance(own.length);
      if (max === 0) return [];
      const found: Array<{ word: string; term: string; distance: number }> = [];
      for (const candidate of byFirstLetter.get(own[0]!) ?? []) {
        if (Math.abs(candidate.length - own.length) > max || candidate === own) continue;
        const d = typoEdits(own, candidate);
        if (d <= max) found.push({ word: candidate, term: candidate, distance: d });
      }
      return found.sort((a, b) => a.distance - b.distance);
    },
  };
}
