import { ABBREVIATIONS } from './lexicon/abbreviations.js';
import { baseVerb, isPastForm } from './lexicon/irregular-verbs.js';
import { englishWords } from './lexicon/english-words.js';
import { wordFrequency } from './lexicon/word-frequency.js';
import { gazetteer } from './lexicon/countries.js';
import { STOP_WORDS } from './stopwords.js';
import { analyze, stemWord, termOf, tokenize } from './terms.js';
import { escapeRegExp } from './text.js';
import { buildTermVocabulary, typoDistance, typoEdits, type Vocabulary } from './vocabulary.js';

/**
 * What a question asks, read before any search: its words and what each can match in the article
 * (the word itself, a correction of a typo, the country a capital stands for), and its focus —
 * the kind of answer it wants (a number, a date, a place, a person, what someone said…).
 */

/** Credit for a match through a correction at edit distance 1 or 2, against 1 for the word itself. */
const TYPO_CREDIT = [1, 0.8, 0.6] as const;
/** Credit for the spelled-out form of an abbreviation ("kwh" → kilowatt-hour, "sco" → Shanghai Cooperation Organization). */
const ABBREVIATION_CREDIT = 0.9;
/** Credit for a capital standing for its country ("Berlin" for Germany): a metonymy, not the same word. */
const CAPITAL_CREDIT = 0.6;
/**
 * Credit for another form of the same word that stemming keeps apart ("deliveries" / "delivered":
 * stems "deliveri" / "deliv"): one term a prefix of the other, both at least `VARIANT_MIN_PREFIX`
 * letters, differing by at most `VARIANT_MAX_EXTRA` letters (so "count" never matches "counteroffensive").
 */
const VARIANT_CREDIT = 0.8;
const VARIANT_MIN_PREFIX = 5;
const VARIANT_MAX_EXTRA = 3;
/**
 * Productive English prefixes, and the credit of a word without its prefix ("reopen" → open,
 * "unpaid" → paid) when the article uses only the root: half, since a prefix may change the sense
 * or be no prefix at all ("retreat"). From the evaluation: +1 answer on the library set at 0.5 or
 * 0.8, nothing lost; the root needs four letters.
 */
const PREFIXED = /^(?:re|un|pre|co|de|mis|over|under|out|up)-?([a-z]{4,})$/;
const PREFIX_CREDIT = 0.5;
/** A part of a glued word must be at least this common in English (general idf; "checked" 11, "law" 9). */
const COMPOUND_PART_IDF = 13;
/** Words this short carry too little to tell a name from an abbreviation ("ok", "tv", "ft"). */
const MIN_NAME_LETTERS = 3;

/** Chat spellings of question and function words, read as the words they stand for. */
const CHAT_SPELLINGS: Readonly<Record<string, string>> = {
  wat: 'what', wht: 'what', whta: 'what', wut: 'what', wich: 'which', whch: 'which', wen: 'when', wher: 'where', whre: 'where', hw: 'how', hwo: 'how',
  // Contractions typed without their apostrophe ("whats" is read as it stands).
  wheres: 'where is', whens: 'when is', whos: 'who is', hows: 'how is', whys: 'why is',
  y: 'why', u: 'you', ur: 'your', r: 'are', abt: 'about', bc: 'because', cuz: 'because', coz: 'because', sed: 'said', sayd: 'said', pls: 'please', plz: 'please', thx: 'thanks', tho: 'though', ppl: 'people', govt: 'government', gov: 'government', w: 'with',
};
const CHAT_WORD = new RegExp(String.raw`\b(?:${Object.keys(CHAT_SPELLINGS).join('|')})\b`, 'gi');

/** The question with chat spellings of common words written out ("wat" → "what", "ppl" → "people"). */
export function normalizeChat(text: string): string {
  // "fine as % of revenue?": a per-cent sign on its own is the word.
  return text.replace(CHAT_WORD, (w) => CHAT_SPELLINGS[w.toLowerCase()] ?? w).replace(/(?<![\d.])\s*%/g, ' percent');
}

export interface Alternative {
  readonly term: string;
  /** 1 for the word's own term; less for a correction or a metonymy. */
  readonly credit: number;
}

/**
 * How strongly a question word the article never uses argues that the article does not cover the
 * question: a name or a number it never mentions is strong evidence ("Zelensky", "22nd"); an
 * ordinary English word is weak evidence, since the article may say the same in other words.
 */
export type Absence = 'name' | 'number' | 'common';

export interface QueryWord {
  readonly word: string;
  readonly index: number;
  /** The word's own term (a country term for country names). */
  readonly term: string;
  /** Terms to look for, best first; the word's own term first whether or not the article has it. */
  readonly alternatives: readonly Alternative[];
  /** Set when no alternative is in the article. */
  readonly absence: Absence | undefined;
}

export type FocusType = 'number' | 'amount' | 'date' | 'place' | 'person' | 'organisation' | 'reason' | 'yes-no' | 'definition' | 'other' | 'quote' | 'speaker';

/** A kind of quantity, told apart by its unit ("how far" wants miles, not people). */
export type Measure = 'distance' | 'duration' | 'age' | 'temperature' | 'money' | 'share' | 'tally';

export interface Focus {
  readonly type: FocusType;
  /**
   * `quote` ("What did X say / think / want…"): the terms naming X. `speaker`: "Who said …?".
   */
  readonly subject?: readonly string[];
  /**
   * `quote`: the question asks what X *said*, so the answer must be X speaking; "how did X react"
   * or "what does X want" only prefer it.
   */
  readonly strict?: boolean;
  /** `number`: the terms of what is counted ("how many HIMARS launchers" → himar, launcher). */
  readonly counted?: readonly string[];
  /** `number` / `amount`: the kind of quantity asked for, when the wording says. */
  readonly measure?: Measure;
  /** `place`: a city, town or village, so a country does not answer it. */
  readonly settlement?: boolean;
  /** `date`: the relation asked ("since when", "until when"): a date after that word answers best. */
  readonly relation?: 'since' | 'until';
  /** "What is X?", "Who is X?": X is most often described where the article first names it. */
  readonly describes?: boolean;
  /** "*Over* which island…", "*from* which city…": the answer most likely follows the same word in the article. */
  readonly preposition?: string;
  /**
   * `person` / `organisation` / `place` named by a noun ("which *senator*", "which *paper*"): only
   * a name of that kind answers it, where a bare "who" may be answered by an organisation.
   */
  readonly typed?: boolean;
}

export interface Query {
  readonly text: string;
  readonly words: readonly QueryWord[];
  readonly focus: Focus;
}

/** Looks up what the article has for each word of the question. */
export function analyzeQuestion(raw: string, vocabulary: Vocabulary): Query {
  const text = normalizeChat(raw);
  const words: QueryWord[] = [];
  const seen = new Set<string>();
  const { capitals } = gazetteer();
  const dictionary = englishWords();
  for (const t of analyze(text)) {
    if (seen.has(t.term)) continue;
    seen.add(t.term);
    const alternatives: Alternative[] = [{ term: t.term, credit: 1 }];
    const english = dictionary.has(t.word);
    if (!vocabulary.has(t.term) && t.kind === 'word') {
      const capital = capitals.get(t.word);
      if (capital) alternatives.push({ term: capital, credit: CAPITAL_CREDIT });
      const expansion = ABBREVIATIONS[t.word];
      const spelledOut = [...(expansion ? analyze(expansion).map((x) => x.term) : []), ...vocabulary.acronym(t.word)];
      for (const term of spelledOut) if (!alternatives.some((a) => a.term === term)) alternatives.push({ term, credit: ABBREVIATION_CREDIT });
      for (const variant of vocabulary.variants(t.term, VARIANT_MIN_PREFIX, VARIANT_MAX_EXTRA)) {
        if (!alternatives.some((a) => a.term === variant)) alternatives.push({ term: variant, credit: VARIANT_CREDIT });
      }
      // "reopen" when the article says "open": the word without its prefix, for less.
      const unprefixed = PREFIXED.exec(t.word)?.[1];
      const root = unprefixed ? termOf(unprefixed) : undefined;
      if (root?.kind === 'word' && vocabulary.has(root.term) && !alternatives.some((a) => a.term === root.term)) alternatives.push({ term: root.term, credit: PREFIX_CREDIT });
      // A misspelled function word ("acording", "becuase") is no topic word at all.
      if (!english && alternatives.length === 1 && isMisspelledStopWord(t.word)) continue;
      // Only a word no dictionary knows is taken for a typo: "aid" is not a misspelling of "aim".
      if (!english) {
        for (const c of vocabulary.corrections(t.word)) {
          if (!alternatives.some((a) => a.term === c.term)) alternatives.push({ term: c.term, credit: TYPO_CREDIT[c.distance] ?? 0 });
        }
        // "amercia", "ukriane": a misspelt country the article names in another form ("US").
        const country = alternatives.length === 1 ? misspeltCountry(t.word) : undefined;
        if (country && vocabulary.has(country.term)) alternatives.push({ term: country.term, credit: TYPO_CREDIT[country.distance] ?? 0 });
      }
    }
    const known = alternatives.some((a) => vocabulary.has(a.term));
    words.push({
      word: t.word,
      index: t.index,
      term: t.term,
      alternatives: alternatives.filter((a, i) => i === 0 || vocabulary.has(a.term)),
      absence: known ? undefined : classifyAbsence(t.word, t.kind, t.capitalized && t.index > 0),
    });
  }
  return { text, words, focus: detectFocus(text) };
}


/**
 * The question with each word no dictionary and no article knows written as the article's word it
 * is a typo of ("is nowiki a professor" → "is nowicki a professor"): what the embedding model is
 * given, since a misspelt name splits into word pieces that match nothing.
 */
export function correctTypos(raw: string, vocabulary: Vocabulary): string {
  const dictionary = englishWords();
  let text = normalizeChat(raw);
  // Word by word, the dictionary first: most words are English, and need no stemming to be passed.
  for (const { word } of tokenize(text)) {
    if (dictionary.has(word)) continue;
    const term = termOf(word);
    if (!term || term.kind !== 'word' || vocabulary.has(term.term)) continue;
    const best = vocabulary.corrections(word)[0] ?? misspeltCountry(word);
    if (best) text = text.replace(new RegExp(String.raw`(?<![\p{L}\p{N}])${escapeRegExp(word)}(?![\p{L}\p{N}])`, 'giu'), best.word);
  }
  return text;
}

/**
 * One-word country names and capitals long enough to tell a typo of them: from 5 letters (as for
 * head nouns, a shorter word one edit from a name is too often another word). From the
 * evaluation: "amercia" read as the US, +1 answer on the seed set, nothing lost.
 */
const MIN_COUNTRY_TYPO_LETTERS = 5;
/** Corrections against one-word country names and capitals, read as the article's typos are. */
let countries: { readonly names: Vocabulary; readonly termOf: ReadonlyMap<string, string> } | undefined;

/** The country (or capital) a word in no dictionary is a typo of, within the usual typo distance. */
function misspeltCountry(word: string): { word: string; term: string; distance: number } | undefined {
  if (word.length < MIN_COUNTRY_TYPO_LETTERS) return undefined;
  if (!countries) {
    const { names, capitals } = gazetteer();
    // A country's own names take precedence over a capital spelled the same.
    const byName = new Map([...capitals, ...names].filter(([name]) => name.length >= MIN_COUNTRY_TYPO_LETTERS && !name.includes(' ')));
    countries = { names: buildTermVocabulary(byName.keys(), (name) => byName.has(name)), termOf: byName };
  }
  const best = countries.names.corrections(word)[0];
  return best ? { word: best.word, term: countries.termOf.get(best.word)!, distance: best.distance } : undefined;
}

function classifyAbsence(word: string, kind: string, capitalizedMidSentence: boolean): Absence {
  if (kind === 'number' || /\d/.test(word)) return 'number';
  if (word.length < MIN_NAME_LETTERS) return 'common';
  const dictionary = englishWords();
  if (dictionary.has(word) || dictionary.has(stemWord(word)) || isCompound(word)) return 'common';
  // A word typed with a capital in mid-sentence is a name even when it is one typo from a word.
  if (!capitalizedMidSentence && typoDistance(word.length) > 0 && hasNeighbour(word, (w) => dictionary.has(w))) return 'common';
  return 'name';
}

/** "doublechecked", "brotherinlaw": English words written together (a hyphenated word's whole form). */
function isCompound(word: string, depth = 0): boolean {
  // Parts that are everyday words (a Scrabble list would split "zelensky" into "zel" + "ensky").
  const part = (w: string) => STOP_WORDS.has(w) || (w.length >= 3 && wordFrequency().generalIdf(w) < COMPOUND_PART_IDF);
  if (depth > 0 && part(word)) return true;
  if (depth >= 3) return false;
  for (let i = 2; i <= word.length - 2; i++) if (part(word.slice(0, i)) && isCompound(word.slice(i), depth + 1)) return true;
  return false;
}

function isMisspelledStopWord(word: string): boolean {
  if (word.length < 4) return false;
  return hasNeighbour(word, (w) => STOP_WORDS.has(w));
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** True when some word one edit away (delete, swap, replace, insert) satisfies `accept`. */
function hasNeighbour(word: string, accept: (candidate: string) => boolean): boolean {
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail && accept(head + tail.slice(1))) return true;
    if (tail.length > 1 && accept(head + tail[1] + tail[0] + tail.slice(2))) return true;
    for (const c of LETTERS) {
      if (tail && c !== tail[0] && accept(head + c + tail.slice(1))) return true;
      if (accept(head + c + tail)) return true;
    }
  }
  return false;
}

const SPEECH_VERBS = 'say|said|says|saying|tell|told|telling|add|added|think|thinks|thought|claim|claimed|argue|argued|declare|declared|comment|commented|warn|warned|predict|predicted|promise|promised|want|wanted|demand|demanded|believe|believes|feel|feels|suggest|suggested|call for|called for|describe|described|reckon|reckons|admit|admitted|accept|accepted|insist|insisted|note|noted|write|wrote|ask|asked|urge|urged|caution|cautioned|question|questioned|estimate|estimated';

/**
 * Focus by the question's leading words, matched at the question word that opens the question
 * proper (see `questionProper`), so "How do operators judge how long a battery lasts?" asks *how*,
 * not *how long*. An amount is asked "how much", and "what does it cost", "what is it worth",
 * "what will it set us back", "what are they selling for" (no question of the evaluation's sets is
 * worded so: no figure moved).
 */
const FOCUS_PATTERNS: ReadonlyArray<readonly [Focus['type'], RegExp]> = [
  ['speaker', /^who\s+(?:(?:has|had|have|was|is)\s+)?(?:just\s+|first\s+)?(?:said|says|say|told|tells|added|called|declared|commented|stated|predicted|described|warned|claimed|argued|thinks|thought|believes|wrote|insisted|promised|demanded|accepted|questioned|cautioned)\b/i],
  ['amount', /^how\s+(?:much|expensive|cheap|costly|pricey)\b|^what(?:'s|’s|s)?\s+(?:(?:does|do|did|will|would|could|is|was|are|were)\s+)?(?:[\w'’-]+\s+){1,6}?(?:cost|worth|pay(?=\s+for\b|\s*[?.!]*$)|sell(?:ing)?\s+for|sold\s+for|set\s+[\w'’-]+(?:\s+[\w'’-]+)?\s+back)\b|^what(?:'s|s)?\s+(?:(?:is|was|are|were)\s+)?(?:the\s+)?(?:price|cost|costs|amount|sum|budget|percentage|percent|share|proportion|bill)\b/i],
  ['number', /^how\s+(?:many|far|long|big|large|heavy|old|high|tall|often|fast|hot|cold|warm|deep|wide)\b|^what(?:'s|s)?\s+(?:(?:is|was)\s+)?(?:the\s+)?(?:number|figure|size|capacity|temperature|percentage)\b|^(?:the\s+)?(?:number|count)\s+of\b|\bcount\s*\??$/i],
  ['date', /^when\b|^(?:what|which)\s+(?:day|date|year|month|time|weekday)\b|^how\s+long\s+ago\b|^(?:since|until|till)\s+when\b/i],
  ['place', /^where\b/i],
  ['person', /^(?:who(?:'s|m)?|whose)\b/i],
  ['reason', /^why\b|^what\s+(?:caused|causes|led\s+to|prompted|made|drove|is\s+the\s+reason|was\s+the\s+reason)\b|^for\s+what\s+reason\b/i],
];

/**
 * The question proper: in "I keep hearing X. How long did that take?" the last sentence, from its
 * first question word on ("Ukrainian forces advanced how far?" → "how far?").
 */
export function questionProper(text: string): string {
  const sentences = text.split(/(?<=[.!?])\s+(?=\S)/).filter((s) => /[\p{L}\p{N}]/u.test(s));
  const last = [...sentences].reverse().find((s) => /\?\s*$/.test(s)) ?? sentences.at(-1) ?? text;
  const wh = /\b(?:since|until|till)\s+when\b|\b(?:what|which|who|whom|whose|when|where|why|how)\b/i.exec(last);
  return (wh ? last.slice(wh.index) : last).trim();
}

/** Verbs that make a quote question strict: the answer must be the person's own words. */
const STRICT_SPEECH = /\b(?:say|said|says|tell|told|declare|declared|comment|commented|quote|quotes|statement|statements|remarks?|words)\b/i;

const QUOTE_PATTERNS: readonly RegExp[] = [
  new RegExp(String.raw`^what(?:['’]s\s+|\s+(?:did|does|do|has|have|had|was|is|were)\s+)(.+?)\s+(?:just\s+|actually\s+|really\s+|also\s+)?(?:${SPEECH_VERBS})\b`, 'i'),
  new RegExp(String.raw`^(?:why\s+|how\s+)?(?:did|does|has|have|had)\s+(.+?)\s+(?:ever\s+|actually\s+|really\s+|also\s+)?(?:say|said|tell|told|comment|commented|mention|mentioned|declare|declared|predict|predicted|warn|warned|promise|promised)\b`, 'i'),
  /\b(.+?)'s\s+(?:quote|quotes|statement|statements|comment|comments|words|view|views|opinion|position|remarks?)\b/i,
  new RegExp(String.raw`^how\s+did\s+(.+?)\s+(?:respond|react|reply|answer)\b`, 'i'),
];

/**
 * Nouns that say what kind of answer "which X" / "what is the X of …" asks for (the answer-type
 * classes of question classification): a person, an organisation, a place, a time or a quantity.
 */
const HEAD_NOUNS: ReadonlyArray<readonly [Pick<Focus, 'type' | 'measure' | 'settlement'>, string]> = [
  [{ type: 'person' }, 'architect author boss ceo chair chairman chairwoman chancellor commander councillor councilor director engineer expert founder general governor head journalist judge leader librarian manager mayor minister official officer owner person president professor reporter researcher resident scientist secretary senator speaker spokesman spokeswoman spokesperson writer'],
  [{ type: 'organisation' }, 'administration agency alliance army bank body broadcaster business channel charity committee company council court department firm government group institute institution journal lab laboratory magazine maker manufacturer military ministry navy network newspaper organisation organization outlet paper party police programme program publication startup union university website'],
  [{ type: 'place', settlement: true }, 'city town village capital'],
  [{ type: 'place' }, 'area country county district island location neighbourhood neighborhood oblast place province region site state street road'],
  [{ type: 'date' }, 'date day month year weekday'],
  [{ type: 'amount', measure: 'money' }, 'price cost costs salary wage fee budget value money dollars funding'],
  [{ type: 'amount', measure: 'share' }, 'percentage percent proportion rate'],
  [{ type: 'number', measure: 'distance' }, 'range distance height depth length width'],
  [{ type: 'number', measure: 'tally' }, 'vote votes tally score scoreline'],
  [{ type: 'number' }, 'population number count total figure size capacity weight speed age'],
];
const HEAD_NOUN_TYPES = new Map(HEAD_NOUNS.flatMap(([focus, nouns]) => nouns.split(' ').map((noun) => [noun, focus] as const)));
/** Words that end the noun phrase after "what/which": verbs, auxiliaries, prepositions, pronouns. */
const PHRASE_END = /^(?:is|are|was|were|do|does|did|has|have|had|will|would|can|could|should|of|in|on|at|for|to|from|by|with|about|vs|versus|than|that|which|who|the|a|an|this|these|those|it|they|he|she|we|you|i|[a-z]+ed)$/;

/** Adverbs end the noun phrase too ("which Chinese manufacturers already sell…"). */
const ADVERB = /^(?:already|also|still|just|now|ever|even|actually|really|currently|recently|previously|originally|initially|finally|eventually|reportedly|allegedly|usually|often|never|ultimately|today|tomorrow|yesterday|here|there|so|too)$/;

/** "comittee", "jounral": a head noun one typo away, for nouns long enough to tell (6 letters or more). */
function misspelledHeadNoun(word: string): Pick<Focus, 'type' | 'measure' | 'settlement'> | undefined {
  if (word.length < 6) return undefined;
  for (const [noun, focus] of HEAD_NOUN_TYPES) if (noun.length >= 6 && Math.abs(noun.length - word.length) <= 1 && typoEdits(noun, word) === 1) return focus;
  return undefined;
}

/**
 * "What's the Hartley Road site?", "what is the Saltwell factory?": the question names the place or
 * body itself (a word no dictionary knows before the head noun), so it asks what it is, not which
 * (library set +1 answer, nothing lost). "Which" still asks which.
 */
function namesItself(text: string, phrase: readonly string[], typed: Pick<Focus, 'type'>): boolean {
  if (typed.type !== 'place' && typed.type !== 'organisation' && typed.type !== 'person') return false;
  return /^what/i.test(text) && phrase.slice(0, -1).some((w) => w.length >= MIN_NAME_LETTERS && !englishWords().has(w));
}

/** "Vote count", "the final score": a count of votes or points is a tally ("6-3"), not any number. */
function tallied(phrase: readonly string[], typed: Pick<Focus, 'type' | 'measure' | 'settlement'> | undefined): Pick<Focus, 'type' | 'measure' | 'settlement'> | undefined {
  if (typed?.type !== 'number' || typed.measure) return typed;
  return phrase.some((w) => HEAD_NOUN_TYPES.get(w)?.measure === 'tally') ? { ...typed, measure: 'tally' } : typed;
}

/** A question this short with no question word is a noun phrase ("kartuzy mayor?", "pilot cost in dollars?"). */
const NOUN_PHRASE_MAX_WORDS = 6;

function headNounFocus(text: string): Focus | undefined {
  const lookup = (word: string) => HEAD_NOUN_TYPES.get(word) ?? HEAD_NOUN_TYPES.get(word.replace(/e?s$/, '')) ?? misspelledHeadNoun(word);
  // "which german agency took over…", "what is the population of…", "the cost of…": the noun
  // phrase right after the question word, read up to its verb; its head, the last noun, says what is wanted.
  const opening = /^(?:which|what(?:'s|s|\s+is|\s+was|\s+are|\s+were)?)\s+(?:the\s+|a\s+|an\s+)?(.*)$/i.exec(text) ?? /^(?:the\s+)?(\w+\s+of\b.*)$/i.exec(text);
  if (opening) {
    const phrase: string[] = [];
    for (const word of opening[1]!.toLowerCase().split(/[^a-z'-]+/)) {
      if (!word) continue;
      if (PHRASE_END.test(word) || baseVerb(word) !== word || ADVERB.test(word) || phrase.length >= 3) break;
      // A possessive is the determiner of the noun after it: "Mayor Holloway's salary", "the US's position".
      if (/'s$/.test(word)) {
        phrase.length = 0;
        continue;
      }
      phrase.push(word);
    }
    // English noun phrases end in their head: "official position" asks for a position, not an official.
    const typed = phrase.length > 0 ? tallied(phrase, lookup(phrase.at(-1)!)) : undefined;
    // "What's the Hartley Road site?": a place or body the question names itself is to be described.
    if (typed && namesItself(text, phrase, typed)) return { type: 'definition', describes: true };
    if (typed) return { ...typed, strict: true, ...(typed.type === 'person' || typed.type === 'organisation' || typed.type === 'place' ? { typed: true } : {}) };
  }
  // A bare noun phrase names what it wants by its head, the last typed noun: "vote count?", "opening date?".
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  // "Did the mayor vote yes?" is a yes/no question, not a noun phrase.
  if (/\b(?:what|which|who|whom|whose|when|where|why|how)\b/i.test(text) || YES_NO.test(text) || words.length > NOUN_PHRASE_MAX_WORDS) return undefined;
  for (const word of [...words].reverse()) {
    const typed = tallied(words, lookup(word));
    // "vote count?", "opening date?" want the figure or the date itself; "kartuzy mayor?" may be answered by a sentence about them.
    if (typed) return { ...typed, strict: typed.type === 'number' || typed.type === 'amount' || typed.type === 'date' };
  }
  return undefined;
}

/** The quantity a question's wording asks for, by unit. */
const MEASURES: ReadonlyArray<readonly [Measure, RegExp]> = [
  ['tally', /\b(?:vote|votes|voting)\s+(?:count|tally|split|margin)\b|\b(?:final\s+)?(?:score|scoreline|tally)\b/i],
  ['share', /\bwhat\s+(?:percentage|percent|share|proportion|fraction)\b|\bhow\s+much\s+of\s+(?:its|their|the)\s+(?!\$)/i],
  ['money', /\bhow\s+(?:expensive|cheap|costly|pricey)\b|\bsell(?:ing)?\s+for\b|\bsold\s+for\b|\bset\s+[\w'’-]+(?:\s+[\w'’-]+)?\s+back\b|\b(?:cost|costs|costing|price|prices|priced|pay|paid|paying|spend|spent|spending|money|fund|funds|funding|funded|raise|raised|raising|budget|grant|borrow|borrowed|borrowing|worth|dollars?|euros?|pounds?|zloty|salary|fee|fees|afford)\b|[$€£]/i],
  ['temperature', /\bhow\s+(?:hot|cold|warm|cool)\b|\btemperature\b/i],
  ['age', /\bhow\s+old\b|\bwhat\s+age\b/i],
  ['distance', /\bhow\s+(?:far|deep|high|tall|wide)\b|\bwhat\s+distance\b/i],
  ['duration', /\bhow\s+long\b/i],
];

/** Verbs and auxiliaries that end the counted noun phrase of "how many …". */
const AFTER_COUNTED = /^(?:are|is|was|were|do|does|did|has|have|had|will|would|can|could|should|got|get|gets|went|go|does|in|on|at|for|to|from|by|with|so|this|that|there|the|they|we|you|he|she|it|remain|remained|left|died|live|lived|work|worked)$/i;

/** Particles that follow a phrasal verb ("turned up", "carried out"). */
const PARTICLE = /^(?:up|out|down|off|away|back|over|in|on|at|through)$/i;

/**
 * A past form closing the noun phrase is its verb: "residents turned up", "books survived". Before
 * a noun it is a modifier ("armoured vehicles"), so it ends the phrase only last, or before a
 * particle or a preposition ("drones delivered to date").
 */
function endsCounted(word: string, next: string | undefined): boolean {
  return isPastForm(word.toLowerCase()) && (next === undefined || PARTICLE.test(next) || AFTER_COUNTED.test(next));
}

/** What "how many …" counts: the words after it up to the verb ("how many HIMARS launchers has…"). */
function countedNoun(text: string): string[] | undefined {
  const match = /\bhow\s+many\s+(?:of\s+(?:the|those|these|its|their)\s+)?([^?.,!]+)/i.exec(text);
  if (!match) return undefined;
  const words: string[] = [];
  const phrase = match[1]!.trim().split(/\s+/);
  for (const [k, word] of phrase.entries()) {
    if (AFTER_COUNTED.test(word) || words.length >= 4 || (words.length > 0 && endsCounted(word, phrase[k + 1]))) break;
    words.push(word);
  }
  return analyze(words.join(' ')).map((t) => t.term);
}

const YES_NO = /^\s*(?:so\s+|and\s+|but\s+)?(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|should|shall|may|might|must|isn't|aren't|wasn't|didn't|doesn't|hasn't|haven't|won't|wouldn't)\b/i;
/** "Who is Ben Hodges?", "who's olaf sholz": a person named, to be described. */
const WHO_IS = /^who(?:'s|\s+is|\s+was|\s+are)\s+(?!the\b|a\b|an\b)[\w'’.-]+(?:\s+[\w'’.-]+){0,3}\s*\??\s*$/i;
const DEFINITION = /^\s*(?:what(?:'s|\s+is|\s+are|\s+was|\s+were)|whats|define|meaning\s+of)\s+(?:an?\s+|the\s+)?[\w-]+(?:\s+[\w-]+)?\s*\??\s*$/i;

/** Words that name the article or its writer rather than someone in it. */
const SELF_SUBJECT = /^(?:the\s+|this\s+)?(?:article|story|piece|report|text|author|writer|journalist|reporter|it|they|you|he|she)$/i;

/** A preposition right before "which"/"what" ("over which island"). */
const LEADING_PREPOSITION = /\b(in|on|at|over|from|into|near|across|against|under|between|through|for|with|by|to)\s+(?:which|what)\b/i;

/** The kind of answer a question wants, from its wording alone. */
export function detectFocus(text: string): Focus {
  const focus = focusOfWording(text);
  // "What's Washington's goal, according to Hodges?": the answer is in what Hodges says, unless
  // the question asks for a kind of span (a number, a date, a name).
  if (focus.type === 'other' || focus.type === 'yes-no' || focus.type === 'reason') {
    const source = SOURCE.exec(text)?.[1]?.trim();
    const subject = source && !SELF_SUBJECT.test(source) && source.split(/\s+/).length <= 4 ? analyze(source).map((t) => t.term) : [];
    if (subject.length > 0) return { type: 'quote', subject, strict: false };
  }
  return focus;
}

/** "…, according to Hodges?", "… per rubio": the source the reader wants the answer from (not "per kilo"). */
const SOURCE = /\b(?:according\s+to|per(?!\s+(?:se|cent|capita|annum|(?:kilo|kg|kilogram|pound|lb|ton|tonne|hour|day|week|month|year|person|head|unit|item|cell|kwh|kilowatt-hour|mile|km|litre|liter|gallon|share|vote)s?)\b))\s+([^?.!,]+?)\s*[?.!]*\s*$/i;

function focusOfWording(text: string): Focus {
  const question = questionProper(text);
  for (const pattern of QUOTE_PATTERNS) {
    const match = pattern.exec(question) ?? (pattern === QUOTE_PATTERNS[1] ? pattern.exec(text.trim()) : null);
    const subject = match?.[1]?.trim();
    if (!subject || SELF_SUBJECT.test(subject) || subject.split(/\s+/).length > 6) continue;
    const subjectTerms = analyze(subject).map((t) => t.term);
    if (subjectTerms.length > 0) return { type: 'quote', subject: subjectTerms, strict: STRICT_SPEECH.test(match![0]) };
  }
  for (const [type, pattern] of FOCUS_PATTERNS) {
    if (!pattern.test(question)) continue;
    if (type === 'date') {
      const relation = /^since\s+when\b/i.test(question) ? 'since' : /^until\s+when\b|^till\s+when\b/i.test(question) ? 'until' : undefined;
      return relation ? { type, relation } : { type };
    }
    if (type === 'person' && WHO_IS.test(question)) return { type, describes: true };
    if (type !== 'number' && type !== 'amount') return { type };
    const measure = MEASURES.find(([, re]) => re.test(question))?.[0];
    const counted = type === 'number' ? countedNoun(question) : undefined;
    return { type, ...(measure ? { measure } : {}), ...(counted && counted.length > 0 ? { counted } : {}) };
  }
  const head = headNounFocus(question);
  if (head) {
    const preposition = LEADING_PREPOSITION.exec(text)?.[1]?.toLowerCase();
    return preposition ? { ...head, preposition } : head;
  }
  if (YES_NO.test(question) || YES_NO.test(text)) return { type: 'yes-no' };
  if (DEFINITION.test(question)) return { type: 'definition', describes: true };
  return { type: 'other' };
}
