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

/** Short-answer exact match: equal after normalising and dropping a leading article ("the"). */
export function shortMatches(short: string | undefined, gold: string): boolean {
  if (short === undefined) return false;
  const strip = (s: string) => normalizeText(s).trim().replace(/^(?:the|a|an) /, '');
  return strip(short) === strip(gold);
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
