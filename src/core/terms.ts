import stem from 'wink-porter2-stemmer';
import { gazetteer } from './lexicon/countries.js';
import { baseVerb } from './lexicon/irregular-verbs.js';
import { STOP_WORDS } from './stopwords.js';

/**
 * Term analysis shared by the index and the questions: the same text always gives the same
 * terms, so that BM25, lexical coverage and the vocabulary agree.
 *
 * A word becomes a term by: folding case, accents and apostrophes; dropping function words;
 * mapping irregular past forms to their verb ("sent" → "send"); Porter2 stemming ("refineries",
 * "refinery" → "refineri"); and mapping a country's names and demonyms to one term ("Germany",
 * "German", "Germans" → "country:deu"; "United States", "U.S.", "American" → "country:usa").
 */

export interface Token {
  /** Lower-case and accent-folded; an acronym that spells a function word keeps its capitals ("US"). */
  readonly word: string;
  /** The word started with a capital letter in the text. */
  readonly capitalized: boolean;
  /** Position of the word in the text; the parts of a hyphenated word share it. */
  readonly index: number;
  /** False for the parts of a hyphenated word, which follow the whole word. */
  readonly primary: boolean;
}

export interface Term {
  readonly term: string;
  /** The word (or country phrase) it came from, folded. */
  readonly word: string;
  readonly index: number;
  readonly capitalized: boolean;
  readonly kind: 'word' | 'number' | 'country';
}

// The same patterns for any script and for plain ASCII, where they mean the same and the ASCII
// ones skip Unicode normalisation and property tables: every question goes through `tokenize`.
const ASCII = /^[\x00-\x7f]*$/;
const WORD = /[\p{L}\p{N}]+(?:['.\-][\p{L}\p{N}]+)*\.?/gu;
const ASCII_WORD = /[A-Za-z0-9]+(?:['.\-][A-Za-z0-9]+)*\.?/g;
const CAPITALS = /^\p{Lu}{2,}$/u;
const ASCII_CAPITALS = /^[A-Z]{2,}$/;
const UPPER_FIRST = /^\p{Lu}/u;
/** "36,000" is one number; so is "1,250,000". */
const THOUSANDS_SEPARATOR = /(\d),(?=\d{3}(?!\d))/g;
const NUMBER = /^\d+(?:\.\d+)?$/;
/** "$600m", "6.5bn", "20k": a number with a magnitude suffix, as people type amounts. */
const MAGNITUDE = /^(\d+(?:\.\d+)?)(k|m|bn|b)$/;
/** A number written together with its unit ("105mm", "2kg") or a plural ("the 155s"): the number is what matches. */
const NUMBER_WITH_SUFFIX = /^(\d+(?:\.\d+)?)([a-z]+)$/;
/** A word of ASCII letters, all lower case after the first. */
const PLAIN_WORD = /^[A-Za-z][a-z]*$/;
const ORDINAL_SUFFIX = /^(?:st|nd|rd|th)$/;
const MAGNITUDE_WORDS: Readonly<Record<string, string>> = { k: 'thousand', m: 'million', bn: 'billion', b: 'billion' };

/** Splits text into word tokens (any script), folding case, accents and apostrophes. */
export function tokenize(text: string): Token[] {
  const ascii = ASCII.test(text);
  const folded = (ascii ? text.replace(/`/g, "'") : text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[’‘`]/g, "'")).replace(THOUSANDS_SEPARATOR, '$1');
  const capitals = ascii ? ASCII_CAPITALS : CAPITALS;
  const tokens: Token[] = [];
  let index = 0;
  for (const raw of folded.match(ascii ? ASCII_WORD : WORD) ?? []) {
    // Nearly every word is plain letters, lower case or capitalised: what the rules below give
    // for those, without running them.
    if (PLAIN_WORD.test(raw)) {
      tokens.push({ word: raw.toLowerCase(), capitalized: raw.charCodeAt(0) < 97, index: index++, primary: true });
      continue;
    }
    const capitalized = UPPER_FIRST.test(raw);
    const push = (word: string, primary = true) => tokens.push({ word, capitalized, index, primary });
    // An acronym that spells a function word ("US", "U.S.", "IT", "WHO") keeps its capitals so
    // that it is not dropped as the stop word it resembles.
    const acronym = raw.replace(/['.]s?$|\./g, '');
    const lower = raw.toLowerCase().replace(/\.$/, '');
    if (capitals.test(acronym) && STOP_WORDS.has(acronym.toLowerCase())) push(acronym);
    else if (NUMBER.test(lower)) push(lower);
    else {
      const magnitude = MAGNITUDE.exec(lower);
      // "russia's" → "russia", "i'm" → "i"; "u.s." → "us"; hyphenated words give the whole and the parts.
      const base = lower.replace(/'(?:s|m|re|ve|ll|d)$/, '').replace(/'/g, '');
      const suffixed = magnitude ? undefined : NUMBER_WITH_SUFFIX.exec(lower);
      if (magnitude) {
        push(magnitude[1]!);
        index++;
        push(MAGNITUDE_WORDS[magnitude[2]!]!);
      } else if (suffixed && !ORDINAL_SUFFIX.test(suffixed[2]!)) {
        push(suffixed[1]!);
        if (suffixed[2] !== 's') {
          index++;
          push(suffixed[2]!);
        }
      } else if (base.includes('.')) push(base.replace(/\./g, ''));
      else if (base.includes('-')) {
        push(base.replace(/-/g, ''));
        for (const part of base.split('-')) if (part) push(part, false);
      } else push(base);
    }
    index++;
  }
  return tokens;
}

/** The terms of a text, with where each came from. */
export function analyze(text: string): Term[] {
  const out: Term[] = [];
  visitTerms(text, (term, kind, word, token) => out.push({ term, word, index: token.index, capitalized: token.capitalized, kind }));
  return out;
}

/** Content terms of a text: what BM25 indexes and questions are matched on. */
export function terms(text: string): string[] {
  const out: string[] = [];
  visitTerms(text, (term) => out.push(term));
  return out;
}

/** Calls `sink` with each term of the text in order: `analyze` and `terms` share it, so they always agree. */
function visitTerms(text: string, sink: (term: string, kind: Term['kind'], word: string, token: Token) => void): void {
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const info = wordInfo(token.word);
    // Country names of several words ("United States", "Russian Federation"), longest first.
    if (token.primary && info.phraseLengths) {
      const matched = matchCountryPhrase(tokens, i, info.phraseLengths, sink);
      if (matched > 0) {
        i += matched - 1;
        // Skip the parts of a hyphenated last word of the phrase too.
        while (tokens[i + 1] && !tokens[i + 1]!.primary) i++;
        continue;
      }
    }
    if (info.term) sink(info.term, info.kind, token.word, token);
  }
}

/** Emits the country named by the longest phrase of `lengths` words starting at `i`; returns its length, or 0. */
function matchCountryPhrase(tokens: readonly Token[], i: number, lengths: readonly number[], sink: Parameters<typeof visitTerms>[1]): number {
  const { names } = gazetteer();
  for (const n of lengths) {
    if (i + n > tokens.length) continue;
    const run = tokens.slice(i, i + n);
    if (!run.every((t) => t.primary)) continue;
    const phrase = run.map((t) => t.word.toLowerCase()).join(' ');
    const term = names.get(phrase);
    if (term) {
      sink(term, 'country', phrase, tokens[i]!);
      return n;
    }
  }
  return 0;
}

/** What analysis needs to know of one word, worked out once. */
interface WordInfo {
  /** Undefined for a function word. */
  readonly term: string | undefined;
  readonly kind: Term['kind'];
  /** Lengths (in words) of the country names of several words it starts, longest first. */
  readonly phraseLengths: readonly number[] | undefined;
}

/**
 * Words already worked out: a library's routing index analyses every passage of every article at
 * start-up, where the same few tens of thousands of words recur a million times, and stemming
 * each again was most of the start-up. Emptied when it reaches the cap (a language's working
 * vocabulary is far below it), so odd input cannot grow it without bound.
 */
const WORD_CACHE_CAP = 200_000;
const wordCache = new Map<string, WordInfo>();

function wordInfo(word: string): WordInfo {
  let info = wordCache.get(word);
  if (info) return info;
  const term = computeTermOf(word);
  // Words are lower case already, but for acronyms ("US").
  const phraseLengths = gazetteer().phraseStarts.get(word.toLowerCase());
  info = { term: term?.term, kind: term?.kind ?? 'word', phraseLengths };
  if (wordCache.size >= WORD_CACHE_CAP) wordCache.clear();
  wordCache.set(word, info);
  return info;
}

/** The term of one token's word; undefined for a function word. */
export function termOf(word: string): { term: string; kind: Term['kind'] } | undefined {
  const info = wordInfo(word);
  return info.term === undefined ? undefined : { term: info.term, kind: info.kind };
}

function computeTermOf(word: string): { term: string; kind: Term['kind'] } | undefined {
  // Lower-case "us" is the pronoun; only the acronym "US" names the country.
  if (STOP_WORDS.has(word)) return undefined;
  const country = countryOf(word.toLowerCase());
  if (country) return { term: country, kind: 'country' };
  if (NUMBER.test(word)) return { term: word, kind: 'number' };
  return { term: stemWord(word), kind: 'word' };
}

/** The country a single word names or describes ("germany", "german", "germans", "US"). */
function countryOf(lower: string): string | undefined {
  const { names } = gazetteer();
  return names.get(lower) ?? (lower.endsWith('s') ? names.get(lower.slice(0, -1)) : undefined);
}

/** Porter2 stem of a word's base form; words with digits or other scripts are kept as they are. */
export function stemWord(word: string): string {
  if (!/^[a-z]+$/.test(word)) return word;
  return stem(baseVerb(word));
}
