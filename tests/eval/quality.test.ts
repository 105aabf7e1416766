import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Figures } from '../../eval/lib/evaluate.js';
import { FLOORS_FILE, GUARDED, type Floors, type Guarded } from '../../eval/lib/floors.js';
import { formatRefusals } from '../../eval/lib/report.js';
import { runEvaluation, runKey, type Run } from '../../eval/lib/run-all.js';
import { TARGETS } from '../../eval/lib/targets.js';

/**
 * The evaluation (eval/README.md) in lexical and bag-of-words hybrid mode, every set alone and in
 * the library: no figure may fall below its target, or below its floor where the target is not
 * reached yet (eval/floors.json, the last accepted figures).
 */

const TARGET_OF: Partial<Record<Guarded, number>> = {
  hit3: TARGETS.hit3,
  answerHasGold: TARGETS.answerHasGold,
  nearTopicRefused: TARGETS.nearTopicRefused,
  offTopicRefused: TARGETS.offTopicRefused,
  shortExactMatch: TARGETS.shortExactMatch,
  followUpHasGold: TARGETS.followUpHasGold,
  rightArticle: TARGETS.rightArticle,
  falseRefusals: TARGETS.maxFalseRefusals,
};

let runs: Run[];
let fusion: Array<{ key: string; checks: unknown }>;
let floors: Floors;
beforeAll(async () => {
  ({ runs, fusion } = await runEvaluation({ modes: ['lexical', 'bag-of-words'], library: true }));
  floors = JSON.parse(await readFile(FLOORS_FILE, 'utf8')) as Floors;
}, 120_000);

describe('answer quality on the evaluation sets', () => {
  it('runs every set in both modes, alone and in the library, with a floor for each', () => {
    expect(runs.length).toBeGreaterThanOrEqual(8);
    expect(fusion.length).toBe(runs.length / 2);
    for (const run of runs) expect(floors.runs[runKey(run)], runKey(run)).toBeDefined();
  });

  it('keeps every figure at its target, or at its floor where the target is not reached yet', () => {
    const below: string[] = [];
    for (const run of runs) {
      const floor = floors.runs[runKey(run)]!;
      for (const key of GUARDED) {
        const value = run.evaluation.figures[key as keyof Figures];
        if (typeof value !== 'number') continue;
        const target = TARGET_OF[key];
        const accepted = floor[key];
        if (key === 'falseRefusals') {
          const bound = Math.max(target ?? 0, accepted ?? 0);
          if (value > bound + 1e-9) below.push(`${runKey(run)} ${key} ${value.toFixed(3)} > ${bound}`);
        } else {
          const bound = Math.min(target ?? 1, accepted ?? 0);
          if (value < bound - 1e-9) below.push(`${runKey(run)} ${key} ${value.toFixed(3)} < ${bound}`);
        }
      }
    }
    expect(below).toEqual([]);
  });

  it('says which rule refused each question that was refused (npm run eval -- --refusals)', () => {
    const run = runs.find((r) => runKey(r) === 'seed/lexical')!;
    const rows = formatRefusals(run.evaluation).split('\n').slice(1).map((line) => /^(.*?)\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(line)!);
    const column = (k: number) => rows.reduce((sum, row) => sum + Number(row[k]), 0);
    expect(column(2)).toBe(run.evaluation.answerable.filter((r) => r.result === 'not-covered').length);
    expect(column(3)).toBe(run.evaluation.nearTopic.filter((r) => r.refused).length);
    expect(column(4)).toBe(run.evaluation.offTopic.filter((r) => r.refused).length);
    // The seed article's rules each show up: coverage, topic words, a number it never mentions.
    expect(rows.map((row) => row[1])).toEqual(expect.arrayContaining(['coverage', 'no topic word', 'unknown number']));
  });

  it('hybrid never loses more to lexical than it did when the floors were accepted', () => {
    const worse: string[] = [];
    for (const run of runs.filter((r) => r.mode !== 'lexical')) {
      const lexical = runs.find((r) => r.mode === 'lexical' && r.evaluation.set === run.evaluation.set && r.library === run.library)!;
      const allowed = floors.fusion[runKey(run)] ?? {};
      for (const key of GUARDED) {
        const h = run.evaluation.figures[key as keyof Figures];
        const l = lexical.evaluation.figures[key as keyof Figures];
        if (typeof h !== 'number' || typeof l !== 'number') continue;
        const deficit = key === 'falseRefusals' ? h - l : l - h;
        if (deficit > (allowed[key] ?? 0) + 1e-9) worse.push(`${runKey(run)} ${key}: hybrid ${h.toFixed(3)}, lexical ${l.toFixed(3)}`);
      }
    }
    expect(worse).toEqual([]);
  });
});
