import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../../tests/support/model/index.js';
import { evaluateSet, type SetEvaluation } from './evaluate.js';
import { loadMode, serviceFor, type ModeName } from './modes.js';
import { loadQuestionSet, type QuestionSet } from './sets.js';
import { checkHybridNotWorse, checkTargets, type TargetCheck } from './targets.js';

/** One set answered in one mode, alone or within the library of every set's article. */
export interface Run {
  readonly mode: ModeName;
  readonly label: string;
  readonly library: boolean;
  readonly evaluation: SetEvaluation;
  readonly checks: readonly TargetCheck[];
}

/** "seed/lexical", "seed/bag-of-words/library": how floors and reports name a run. */
export function runKey(run: Pick<Run, 'mode' | 'library'> & { readonly evaluation: { readonly set: string } }): string {
  return `${run.evaluation.set}/${run.mode}${run.library ? '/library' : ''}`;
}

export interface EvaluationOptions {
  /** Set names (file names without .json); all when omitted. */
  readonly sets?: readonly string[] | undefined;
  readonly modes: readonly ModeName[];
  /** Also run every set against the library of all the sets' articles. */
  readonly library: boolean;
  /** Called after each run (the CLI prints it). */
  readonly onRun?: (run: Run) => void;
}

export async function loadSets(names?: readonly string[]): Promise<QuestionSet[]> {
  const setsDir = path.join(REPO_ROOT, 'eval', 'sets');
  const files = (await readdir(setsDir)).filter((f) => f.endsWith('.json')).sort();
  const sets: QuestionSet[] = [];
  for (const file of files) {
    const set = await loadQuestionSet(path.join(setsDir, file), REPO_ROOT);
    if (!names || names.includes(set.name)) sets.push(set);
  }
  return sets;
}

/** Every set through the real answer service in every mode; then hybrid against lexical, run by run. */
export async function runEvaluation(options: EvaluationOptions): Promise<{ runs: Run[]; fusion: Array<{ key: string; checks: TargetCheck[] }> }> {
  const sets = await loadSets(options.sets);
  // The last answer's trace, whichever service gave it (services are shared between sets).
  const traced: { last: unknown } = { last: undefined };
  const runs: Run[] = [];
  const libraryArticles = [...new Set(sets.map((s) => s.articlePath))];
  for (const name of options.modes) {
    const mode = await loadMode(name);
    const plan = [
      ...sets.map((set) => ({ set, paths: set.articlePath as string | string[], library: false })),
      ...(options.library && libraryArticles.length > 1 ? sets.map((set) => ({ set, paths: libraryArticles, library: true })) : []),
    ];
    const services = new Map<string, Awaited<ReturnType<typeof serviceFor>>>();
    for (const { set, paths, library } of plan) {
      const key = JSON.stringify(paths);
      if (!services.has(key)) services.set(key, await serviceFor(paths, mode, (t) => (traced.last = t)));
      const service = services.get(key)!;
      const evaluation = await evaluateSet(set, {
        answer: (q, askOptions) => {
          traced.last = undefined;
          return service.answer(q, askOptions);
        },
        lastTrace: () => traced.last,
      });
      const label = library ? `${mode.label}, library of ${libraryArticles.length} articles` : mode.label;
      const run: Run = { mode: name, label, library, evaluation, checks: checkTargets(evaluation.figures, evaluation.baseline) };
      runs.push(run);
      options.onRun?.(run);
    }
  }
  const fusion = runs
    .filter((r) => r.mode !== 'lexical')
    .flatMap((hybrid) => {
      const lexical = runs.find((r) => r.mode === 'lexical' && r.evaluation.set === hybrid.evaluation.set && r.library === hybrid.library);
      return lexical ? [{ key: runKey(hybrid), checks: checkHybridNotWorse(hybrid.evaluation.figures, lexical.evaluation.figures) }] : [];
    });
  return { runs, fusion };
}
