import type { SentenceFacts, Span } from './annotate.js';
import type { Focus, Measure, Query } from './query.js';
import { termOf, terms } from './terms.js';

/**
 * Whether a sentence holds what a question asks for — a number for "how many", the speaker for
 * "who said", X's own words for "what did X say" — and which span of it is the short answer.
 */

export interface FocusMatch {
  /** The sentence holds the thing asked for. */
  readonly holds: boolean;
  /** The short answer, when the focus is a span (a number, a date, a name). */
  readonly span?: string;
  /** How well the span answers: 1 for the kind asked for, less for a stand-in ("who" answered by an organisation). */
  readonly strength?: number;
}

const NO_MATCH: FocusMatch = { holds: false };

/** Span types that answer each focus, best first. */
const FOCUS_SPANS: Partial<Record<Focus['type'], readonly Span['type'][]>> = {
  number: ['number', 'amount', 'date'],
  amount: ['amount', 'number'],
  date: ['date', 'time'],
  place: ['place', 'name', 'organisation'],
  person: ['person', 'organisation', 'name'],
  organisation: ['organisation', 'name', 'person'],
};

/**
 * A stand-in kind answers less well than the kind asked for: the second kind of `FOCUS_SPANS`
 * holds the focus at 2/3, the third at 1/2. From the evaluation, 0.5 against 1: the same gains
 * (short answers +1 question on two sets, one more near-topic refusal), one fewer answer lost.
 */
const FALLBACK_SPAN_DISCOUNT = 0.5;

/** What answers a question that names the kind it wants ("which senator", "which paper", "which city"). */
const TYPED_SPANS: Partial<Record<Focus['type'], readonly Span['type'][]>> = {
  person: ['person'],
  organisation: ['organisation', 'name'],
  place: ['place', 'name'],
};

/**
 * A place the sentence locates something in ("in the outskirts of Izum"), not one it only mentions
 * ("US involvement") or one something is away from ("away from the River Alder").
 */
const LOCATIVE = /(?<!\baway\s|\bfar\s)\b(?:in|on|at|near|outside|inside|from|across|into|to)\s+(?:the\s+)?(?:(?:outskirts|centre|center|heart|north|south|east|west|edge|suburbs|city|town|village|region)\s+of\s+(?:the\s+)?)?$/i;

/** Units that make a span the kind of quantity asked for. */
const MEASURE_UNITS: Readonly<Record<Measure, RegExp>> = {
  // "how long": a duration ("three hours") or how far back it goes ("since the early 18th century").
  money: /[$€£¥]|\b(?:dollars?|euros?|pounds?|zloty|yuan|yen|rupees?|roubles?|rubles?|francs?|kroner?|krona)\b/i,
  share: /%|\bper\s*cent\b|\bpercent(?:age)?\b|\bhalf\b|\bquarter\b|\bthird\b/i,
  temperature: /\bdegrees?\b|°/i,
  age: /\b(?:years?|months?)\b|-year-old|-month-old|^\d{1,3}$/i,
  distance: /\b(?:miles?|km|kilomet(?:re|er)s?|met(?:re|er)s?|feet|foot|inches|yards?)\b|\bdozens\s+of\s+miles\b/i,
  // "what was the vote": a tally, "6-3", "defeated 5-4", "52 to 48". From the evaluation: library
  // short answers +2, answers +2 (one a follow-up), nothing lost.
  tally: /^\d{1,4}\s*(?:[-–]|to)\s*\d{1,4}$/,
  duration: /\b(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies))\b/i,
};

/** How far after a number the counted noun may come: "15 HIMARS missile launchers", "thousands of Russian soldiers". */
const COUNTED_WINDOW_WORDS = 5;

export interface FocusContext {
  /** People (and other speakers) the question's subject names, for `quote` questions. */
  readonly subjectSpeakers: ReadonlySet<string>;
  /** True when the article uses a term (a counted noun the article never uses cannot be checked). */
  readonly knows: (term: string) => boolean;
  /** True for a country's name ("which city…" is not answered by a country). */
  readonly isCountry: (name: string) => boolean;
  /** How distinctive a term is in the article (its idf): rare question words anchor the answer. */
  readonly weight: (term: string) => number;
}

/** Does `sentence` hold what `query` asks for, and if so, what is the short answer? */
export function matchFocus(query: Query, sentence: string, facts: SentenceFacts, context: FocusContext): FocusMatch {
  const focus = query.focus;
  if (focus.type === 'quote') return { holds: facts.speakers.some((s) => context.subjectSpeakers.has(s)) };
  if (focus.type === 'speaker') {
    // The full name reads better than the sentence's "he" or "Mr Lis".
    const speaker = facts.speakers[0];
    return speaker ? { holds: true, span: speaker } : NO_MATCH;
  }
  const types = focus.typed ? TYPED_SPANS[focus.type] : FOCUS_SPANS[focus.type];
  if (!types) return NO_MATCH;
  // The question's words as the article writes them: a misspelling's correction anchors too.
  const asked = new Set(query.words.flatMap((w) => w.alternatives.map((a) => a.term)));
  let spans = facts.spans.filter((s) => types.includes(s.type) && !stated(s, asked));
  if (focus.settlement) spans = spans.filter((s) => s.type !== 'place' || !context.isCountry(s.text));
  // "Where…?" is answered by where something is ("in the outskirts of Izum"), not by a place the
  // sentence only mentions ("US involvement"); "which country" takes any of its kind.
  const locates = (s: Span) => LOCATIVE.test(sentence.slice(0, s.start));
  if (focus.type === 'place' && !focus.typed) spans = spans.filter(locates);
  // A date answers "how many" only when it is a duration ("how long … since the early 18th century").
  if (focus.type === 'number') spans = spans.filter((s) => s.type !== 'date' || focus.measure === 'duration');
  // "How many books" counts things: a sum of money does not answer it ("how many dollars" has its measure).
  if (focus.type === 'number' && !focus.measure) spans = spans.filter((s) => !MEASURE_UNITS.money.test(s.text));
  if (focus.measure) spans = spans.filter((s) => MEASURE_UNITS[focus.measure!].test(s.text) || (focus.measure === 'age' && isAgeAfterName(sentence, s)));
  const counted = (focus.counted ?? []).filter((t) => context.knows(t));
  if (focus.type === 'number' && counted.length > 0 && !focus.measure) {
    // The article has the thing counted: the number must be about it, not any number nearby. When
    // the article has the head noun itself ("Russian *tanks*"), it must be that noun, not a modifier.
    const head = focus.counted!.at(-1)!;
    const required = context.knows(head) ? [head] : counted;
    spans = spans.filter((s) => countedTerms(sentence, s, required) > 0);
  }
  if (spans.length === 0) return NO_MATCH;
  const anchors = askedWordPositions(sentence, asked, context.weight);
  const clauses = clauseStarts(sentence);
  const weightOf = (found: readonly string[]) => [...new Set(found)].filter((t) => asked.has(t)).reduce((sum, t) => sum + context.weight(t), 0);
  const describedBy = (s: Span) => (s.context ? weightOf(termsOf(s.context)) : 0);
  // Among quantities in one clause, the one whose noun the question names ("a $2.5 million
  // provincial grant and $2.1 million borrowed" for "how big is the grant").
  const quantifies = (s: Span) => (s.type === 'number' || s.type === 'amount' ? weightOf(quantifiedTerms(sentence, s)) : 0);
  // Best: the span type asked for first; then the number counting most of what is asked ("a thousand
  // precision-guided 155mm rounds"); the person described by the question's words ("China's
  // president"); the span in the clause of the rarest question words; the number of the noun asked
  // about; the nearest.
  const locative = (s: Span) => (focus.type === 'place' && locates(s) ? 1 : 0);
  const related = (s: Span) => (focus.relation && new RegExp(`\\b${focus.relation}\\s+$`, 'i').test(sentence.slice(0, s.start)) ? 1 : 0);
  const after = (s: Span) => (focus.preposition && new RegExp(`\\b${focus.preposition}\\s+(?:the\\s+)?$`, 'i').test(sentence.slice(0, s.start)) ? 1 : 0);
  const rank = (s: Span): number[] => [
    -related(s),
    types.indexOf(s.type),
    -after(s),
    -locative(s),
    -countedTerms(sentence, s, counted),
    -describedBy(s),
    -clauseWeight(s, anchors, clauses),
    -quantifies(s),
    distanceTo(s, anchors),
  ];
  const best = spans
    .map((span) => ({ span, rank: rank(span) }))
    .sort((a, b) => compareLists(a.rank, b.rank))[0]!.span;
  return { holds: true, span: best.text, strength: 1 / (1 + FALLBACK_SPAN_DISCOUNT * types.indexOf(best.type)) };
}

function compareLists(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Where each clause of the sentence starts: at a comma, semicolon, colon, bracket or "with"/"while". */
function clauseStarts(sentence: string): number[] {
  return [0, ...[...sentence.matchAll(/[,;:()]\s*|\s(?:with|while|whereas|but)\s/g)].map((m) => m.index + m[0].length)];
}

function clauseOf(position: number, starts: readonly number[]): number {
  let clause = 0;
  for (let i = 0; i < starts.length; i++) if (starts[i]! <= position) clause = i;
  return clause;
}

/** The idf weight of the question's words in the span's clause. */
function clauseWeight(span: Span, anchors: readonly Anchor[], starts: readonly number[]): number {
  const clause = clauseOf(span.start, starts);
  return anchors.filter((a) => clauseOf(a.position, starts) === clause).reduce((sum, a) => sum + a.weight, 0);
}

function termsOf(text: string): string[] {
  return text.split(/[\s,]+/).flatMap((w) => termOf(w.toLowerCase().replace(/[^\p{L}\p{N}-]/gu, ''))?.term ?? []);
}

/**
 * True when the question already says this span: "how many 105mm rounds" states "105mm"; "who
 * did McConnell want…" states "Mitch McConnell" (a name is stated by any of its names).
 */
function stated(span: Span, asked: ReadonlySet<string>): boolean {
  const spanTerms = span.text.split(/\s+/).flatMap((w) => {
    const t = termOf(w.toLowerCase().replace(/[^\p{L}\p{N}.]/gu, '').replace(/,/g, ''));
    return t ? [t.term] : [];
  });
  if (spanTerms.length === 0) return false;
  if (span.type === 'person') return spanTerms.some((t) => t.length >= 2 && asked.has(t));
  if (span.type === 'organisation' || span.type === 'place' || span.type === 'name') {
    // Its name is what the question says: "the German government" when the question asks about Berlin.
    const named = span.text.split(/\s+/).filter((w) => /^\p{Lu}/u.test(w)).flatMap((w) => termOf(w.toLowerCase().replace(/[^\p{L}\p{N}.]/gu, ''))?.term ?? []);
    if (named.length > 0) return named.every((t) => asked.has(t));
  }
  return spanTerms.every((t) => asked.has(t));
}

/** "Tom Baptiste, 71, who…": a bare number set off by commas right after a name is an age. */
function isAgeAfterName(sentence: string, span: Span): boolean {
  return /^\d{1,3}$/.test(span.text) && /\p{Lu}[\p{L}'’-]+,\s*$/u.test(sentence.slice(0, span.start)) && /^\s*,/.test(sentence.slice(span.end));
}

/** How many of `counted` come within a few words after the number ("a thousand precision-guided 155mm artillery rounds"). */
function countedTerms(sentence: string, span: Span, counted: readonly string[]): number {
  if (counted.length === 0) return 0;
  const after = sentence.slice(span.end).split(/[,;:.()]/)[0] ?? '';
  const words = after.trim().split(/[\s-]+/).slice(0, COUNTED_WINDOW_WORDS + 2);
  // The span itself may hold the noun ("36,000 rounds" inside a measure).
  const own = span.text.split(/[\s-]+/);
  const found = new Set<string>();
  // Analysed as the question was: "105mm" is the number 105 and the unit mm.
  for (const t of terms([...own, ...words].join(' '))) if (counted.includes(t)) found.add(t);
  return found.size;
}

/** The terms of the few words after a number, up to a break: the noun phrase it quantifies. */
function quantifiedTerms(sentence: string, span: Span): string[] {
  const after = sentence.slice(span.end).split(/[,;:.()]|\s(?:and|or|but|while|from|than|to)\s/)[0] ?? '';
  return terms(after.trim().split(/\s+/).slice(0, COUNTED_WINDOW_WORDS).join(' '));
}

interface Anchor {
  readonly position: number;
  readonly weight: number;
}

/** Where the question's words stand in the sentence, with how distinctive each is. */
function askedWordPositions(sentence: string, asked: ReadonlySet<string>, weight: (term: string) => number): Anchor[] {
  const anchors: Anchor[] = [];
  for (const m of sentence.matchAll(/[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu)) {
    const t = termOf(m[0].toLowerCase().replace(/['’]s$/, ''));
    if (t && asked.has(t.term)) anchors.push({ position: m.index, weight: weight(t.term) });
  }
  return anchors;
}

function distanceTo(span: Span, anchors: readonly Anchor[]): number {
  if (anchors.length === 0) return span.start;
  return Math.min(...anchors.map(({ position: a }) => (a < span.start ? span.start - a : a > span.end ? a - span.end : 0)));
}
