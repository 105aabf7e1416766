import type { AnswerResult } from '../../src/core/types.js';

/**
 * The figures of the evaluation. Each is a share in [0, 1] over the questions it applies to.
 * "What the reader reads" is the short answer plus the quoted answer text: a gold span counts as
 * found when it appears there as whole words, ignoring case, accents and punctuation.
 */

/** Lower case, accents and punctuation folded to single spaces; `$` and `%` kept (they carry meaning in amounts). */
export function normalizeText(text: string): string {
  return ` ${text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}$%]+/gu, ' ')
    .trim()} `;
}

/** True when `gold` appears in `text` as a run of whole words (after `normalizeText`). */
export function containsSpan(text: string, gold: string): boolean {
  const needle = normalizeText(gold);
  return needle.trim() !== '' && normalizeText(text).includes(needle);
}

/** Words that hedge a figure without changing it ("about 120" states the same fact as "120"). */
const APPROXIMATION = /^(?:about|around|roughly|nearly|approximately|some|an estimated|estimated|almost) /;
const HONORIFICS = /^(?:mr|mrs|ms|dr|prof|professor) /;

/**
 * Short-answer exact match, SQuAD-style: equal after normalising case and punctuation and dropping
 * a leading article ("the Financial Times"). Two forms that state the same thing also match: a
 * figure with and without a hedge ("about 14,000" / "14,000"), and a person by full name or by
 * surname ("Mitch McConnell" / "McConnell" / "Mr McConnell").
 */
export function shortMatches(short: string | undefined, gold: string, type?: string): boolean {
  if (short === undefined) return false;
  const strip = (s: string) => normalizeText(s).trim().replace(/^(?:the|a|an) /, '').replace(APPROXIMATION, '');
  const a = strip(short);
  const b = strip(gold);
  if (a === b) return true;
  if (type !== 'person') return false;
  const surname = (s: string) => s.replace(HONORIFICS, '').split(' ').at(-1);
  return surname(a) === surname(b);
}

/** The text a reader of this result reads as the answer (nothing for a refusal). */
export function readerText(result: AnswerResult): string {
  if (result.kind !== 'answer') return '';
  return [result.short ?? '', result.answer].join(' \n ');
}

/** 1-based rank of the first cited gold paragraph; undefined when none is cited. */
export function goldRank(cited: readonly number[], gold: readonly number[]): number | undefined {
  const i = cited.findIndex((n) => gold.includes(n));
  return i === -1 ? undefined : i + 1;
}

export function share(count: number, total: number): number | null {
  return total === 0 ? null : count / total;
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}
