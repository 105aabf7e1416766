import path from 'node:path';
import { REPO_ROOT } from '../../tests/support/model/index.js';
import type { Figures } from './evaluate.js';
import { runKey, type Run } from './run-all.js';

/**
 * Floors: the figures of the last accepted evaluation, per run ("seed/lexical/library"). The
 * quality test fails when a figure falls below its target or, where the target is not reached
 * yet, below its floor — so no change lowers quality unseen. `npm run eval -- --write-floors`
 * accepts new figures (after an improvement).
 */
export const FLOORS_FILE = path.join(REPO_ROOT, 'eval', 'floors.json');

/** The figures guarded: shares where higher is better, and false refusals where lower is. */
export const GUARDED = ['hit1', 'hit3', 'mrr', 'answerHasGold', 'nearTopicRefused', 'offTopicRefused', 'shortExactMatch', 'followUpHasGold', 'rightArticle', 'falseRefusals'] as const;
export type Guarded = (typeof GUARDED)[number];
export interface Floors {
  readonly runs: Record<string, Partial<Record<Guarded, number>>>;
  /**
   * Per hybrid run, how far below lexical each figure was when accepted (0 where hybrid was not
   * worse): "fusion must not lose to its better half", guarded at what is reached.
   */
  readonly fusion: Record<string, Partial<Record<Guarded, number>>>;
}

export function floorsOf(runs: readonly Run[]): Floors {
  const floors: Floors = { runs: {}, fusion: {} };
  for (const run of runs) {
    const entry: Partial<Record<Guarded, number>> = {};
    for (const key of GUARDED) {
      const value = run.evaluation.figures[key as keyof Figures];
      // Rounded towards the worse side, so the figure itself always passes its floor.
      if (typeof value === 'number') entry[key] = key === 'falseRefusals' ? Math.ceil(value * 1000) / 1000 : Math.floor(value * 1000) / 1000;
    }
    floors.runs[runKey(run)] = entry;
  }
  for (const hybrid of runs.filter((r) => r.mode !== 'lexical')) {
    const lexical = runs.find((r) => r.mode === 'lexical' && r.evaluation.set === hybrid.evaluation.set && r.library === hybrid.library);
    if (!lexical) continue;
    const deficit: Partial<Record<Guarded, number>> = {};
    for (const key of GUARDED) {
      const h = hybrid.evaluation.figures[key as keyof Figures];
      const l = lexical.evaluation.figures[key as keyof Figures];
      if (typeof h !== 'number' || typeof l !== 'number') continue;
      deficit[key] = Math.max(0, Math.ceil((key === 'falseRefusals' ? h - l : l - h) * 1000) / 1000);
    }
    floors.fusion[runKey(hybrid)] = deficit;
  }
  return floors;
}
