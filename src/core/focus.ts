import type { SentenceFacts, Span } from './annotate.js';
import type { Focus, Measure, Query } from './query.js';
import { termOf } from './terms.js';

/**
 * Whether a sentence holds what a question asks for — a number for "how many", the speaker for
 * "who said", X's own words for "what did X say" — and which span of it is the short answer.
 */

export interface FocusMatch {
  /** The sentence holds the thing asked for. */
  readonly holds: boolean;
  /** The short answer, when the focus is a span (a number, a date, a name). */
  readonly span?: string;
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

/** Units that make a span the kind of quantity asked for. */
const MEASURE_UNITS: Readonly<Record<Measure, RegExp>> = {
  // "how long": a duration ("three hours") or how far back it goes ("since the early 18th century").
  money: /[$€£¥]|\b(?:dollars?|euros?|pounds?|zloty|yuan|yen|rupees?|roubles?|rubles?|francs?|kroner?|krona)\b/i,
  share: /%|\bper\s*cent\b|\bpercent(?:age)?\b|\bhalf\b|\bquarter\b|\bthird\b/i,
  temperature: /\bdegrees?\b|°/i,
  age: /\b(?:years?|months?)\b|-year-old|-month-old|^\d{1,3}$/i,
  distance: /\b(?:miles?|km|kilomet(?:re|er)s?|met(?:re|er)s?|feet|foot|inches|yards?)\b|\bdozens\s+of\s+miles\b/i,
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
  const types = FOCUS_SPANS[focus.type];
  if (!types) return NO_MATCH;
  const asked = new Set(query.words.map((w) => w.term));
  let spans = facts.spans.filter((s) => types.includes(s.type) && !stated(s, asked));
  if (focus.settlement) spans = spans.filter((s) => s.type !== 'place' || !context.isCountry(s.text));
  // A date answers "how many" only when it is a duration ("how long … since the early 18th century").
  if (focus.type === 'number') spans = spans.filter((s) => s.type !== 'date' || focus.measure === 'duration');
  if (focus.measure) spans = spans.filter((s) => MEASURE_UNITS[focus.measure!].test(s.text) || (focus.measure === 'age' && isAgeAfterName(sentence, s)));
  if (focus.type === 'number' && focus.counted && focus.counted.length > 0 && !focus.measure) {
    const counted = focus.counted.filter((t) => context.knows(t));
    // The article has the thing counted: the number must be about it, not any number nearby.
    if (counted.length > 0) spans = spans.filter((s) => countsOneOf(sentence, s, counted));
  }
  if (spans.length === 0) return NO_MATCH;
  const anchors = askedWordPositions(sentence, asked);
  const rank = (s: Span) => types.indexOf(s.type) * 1000 + distanceTo(s, anchors);
  const best = [...spans].sort((a, b) => rank(a) - rank(b))[0]!;
  return { holds: true, span: best.text };
}

/** True when the question already says this span ("how many 105mm rounds" states "105mm"). */
function stated(span: Span, asked: ReadonlySet<string>): boolean {
  const spanTerms = span.text.split(/\s+/).flatMap((w) => {
    const t = termOf(w.toLowerCase().replace(/[^\p{L}\p{N}.]/gu, '').replace(/,/g, ''));
    return t ? [t.term] : [];
  });
  return spanTerms.length > 0 && spanTerms.every((t) => asked.has(t));
}

/** "Tom Baptiste, 71, who…": a bare number set off by commas right after a name is an age. */
function isAgeAfterName(sentence: string, span: Span): boolean {
  return /^\d{1,3}$/.test(span.text) && /\p{Lu}[\p{L}'’-]+,\s*$/u.test(sentence.slice(0, span.start)) && /^\s*,/.test(sentence.slice(span.end));
}

/** True when one of `counted` comes within a few words after the number ("15 HIMARS missile launchers"). */
function countsOneOf(sentence: string, span: Span, counted: readonly string[]): boolean {
  const after = sentence.slice(span.end).split(/[,;:.()"“”]/)[0] ?? '';
  const words = after.trim().split(/\s+/).slice(0, COUNTED_WINDOW_WORDS);
  // The span itself may hold the noun ("36,000 rounds" inside a measure).
  const own = span.text.split(/[\s-]+/);
  return [...own, ...words].some((w) => {
    const t = termOf(w.toLowerCase().replace(/[^\p{L}\p{N}-]/gu, ''));
    return t !== undefined && counted.includes(t.term);
  });
}

/** Character positions of the question's words in the sentence. */
function askedWordPositions(sentence: string, asked: ReadonlySet<string>): number[] {
  const positions: number[] = [];
  for (const m of sentence.matchAll(/[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu)) {
    const t = termOf(m[0].toLowerCase());
    if (t && asked.has(t.term)) positions.push(m.index);
  }
  return positions;
}

function distanceTo(span: Span, anchors: readonly number[]): number {
  if (anchors.length === 0) return span.start;
  return Math.min(...anchors.map((a) => (a < span.start ? span.start - a : a > span.end ? a - span.end : 0)));
}
