/**
 * `npm run eval`: every question set in eval/sets/ through the real answer path, in lexical mode,
 * hybrid with the generated bag-of-words model, and hybrid with EMBEDDING_MODEL when it is set.
 * Prints one table per mode and set beside the plain BM25 pipeline, a per-kind breakdown and the
 * targets; writes eval/results/latest.json.
 *
 *   npm run eval
 *   npm run eval -- --set seed --mode lexical --misses     # the questions it gets wrong
 *   EMBEDDING_MODEL=Snowflake/snowflake-arctic-embed-xs npm run eval   # also score a real model
 */
import { readdir, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../tests/support/model/index.js';
import { evaluateSet, type SetEvaluation } from './lib/evaluate.js';
import { loadMode, serviceFor, type ModeName } from './lib/modes.js';
import { formatBreakdown, formatChecks, formatMisses, formatSetTable } from './lib/report.js';
import { loadQuestionSet, type QuestionSet } from './lib/sets.js';
import { checkHybridNotWorse, checkTargets, type TargetCheck } from './lib/targets.js';

const { values: args } = parseArgs({
  options: {
    set: { type: 'string', multiple: true },
    mode: { type: 'string', multiple: true },
    misses: { type: 'string' },
    library: { type: 'boolean', default: true },
    'by-style': { type: 'boolean' },
    output: { type: 'string', default: path.join(REPO_ROOT, 'eval', 'results', 'latest.json') },
  },
  allowNegative: true,
});

const started = performance.now();
const setsDir = path.join(REPO_ROOT, 'eval', 'sets');
const files = (await readdir(setsDir)).filter((f) => f.endsWith('.json')).sort();
const sets: QuestionSet[] = [];
for (const file of files) {
  const set = await loadQuestionSet(path.join(setsDir, file), REPO_ROOT);
  if (!args.set || args.set.includes(set.name)) sets.push(set);
}
const modeNames: ModeName[] = (args.mode as ModeName[] | undefined) ?? ['lexical', 'bag-of-words', ...(process.env['EMBEDDING_MODEL'] ? (['model'] as const) : [])];

const results: Array<{ mode: ModeName; label: string; evaluation: SetEvaluation; checks: TargetCheck[]; library: boolean }> = [];
const libraryArticles = [...new Set(sets.map((s) => s.articlePath))];
for (const name of modeNames) {
  const mode = await loadMode(name);
  // Each set alone, then (when there are several articles) every set against the whole library.
  const runs = [
    ...sets.map((set) => ({ set, paths: set.articlePath as string | string[], library: false })),
    ...(args.library && libraryArticles.length > 1 ? sets.map((set) => ({ set, paths: libraryArticles, library: true })) : []),
  ];
  const services = new Map<string, Awaited<ReturnType<typeof serviceFor>>>();
  for (const { set, paths, library } of runs) {
    let trace: unknown;
    const serviceKey = JSON.stringify(paths);
    if (!services.has(serviceKey)) services.set(serviceKey, await serviceFor(paths, mode, (t) => (trace = t)));
    const service = services.get(serviceKey)!;
    const label = library ? `${mode.label}, library of ${libraryArticles.length} articles` : mode.label;
    const evaluation = await evaluateSet(set, {
      answer: (q, options) => {
        trace = undefined;
        return service.answer(q, options);
      },
      lastTrace: () => trace,
    });
    const checks = checkTargets(evaluation.figures, evaluation.baseline);
    results.push({ mode: name, label, evaluation, checks, library });
    console.log(`\n${formatSetTable(evaluation, label)}`);
    console.log(formatBreakdown('kind', evaluation.byKind));
    if (args['by-style']) console.log(formatBreakdown('style', evaluation.byStyle));
    console.log(formatChecks(checks));
    if (args.misses !== undefined) console.log(`misses:\n${formatMisses(evaluation, args.misses === 'all' ? Infinity : Number(args.misses) || 40)}`);
  }
}

// Fusion must not lose to its better half: hybrid against lexical, set by set.
const fusion: Array<{ set: string; checks: TargetCheck[] }> = [];
for (const hybrid of results.filter((r) => r.mode !== 'lexical')) {
  const lexical = results.find((r) => r.mode === 'lexical' && r.evaluation.set === hybrid.evaluation.set && r.library === hybrid.library);
  if (!lexical) continue;
  const checks = checkHybridNotWorse(hybrid.evaluation.figures, lexical.evaluation.figures);
  fusion.push({ set: `${hybrid.evaluation.set} (${hybrid.label})`, checks });
  const missed = checks.filter((c) => !c.ok);
  console.log(`\nhybrid vs lexical, ${hybrid.evaluation.set} (${hybrid.label}): ${missed.length === 0 ? 'never worse' : 'WORSE on ' + missed.map((c) => `${c.name} ${c.detail}`).join('; ')}`);
}

const misses = results.flatMap((r) => r.checks.filter((c) => !c.ok).map((c) => `${r.evaluation.set}/${r.mode}${r.library ? '/library' : ''}: ${c.name} ${c.detail}`));
const seconds = (performance.now() - started) / 1000;
console.log(`\n${misses.length === 0 ? 'All targets met.' : `Targets missed:\n  ${misses.join('\n  ')}`}\nFinished in ${seconds.toFixed(1)} s.`);

await mkdir(path.dirname(args.output), { recursive: true });
await writeFile(
  args.output,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      seconds: Math.round(seconds * 10) / 10,
      runs: results.map((r) => ({ set: r.evaluation.set, mode: r.mode, library: r.library, label: r.label, figures: r.evaluation.figures, baseline: r.evaluation.baseline, byKind: r.evaluation.byKind, checks: r.checks })),
      fusion,
      details: results.map((r) => ({ set: r.evaluation.set, mode: r.mode, library: r.library, answerable: r.evaluation.answerable, nearTopic: r.evaluation.nearTopic, offTopic: r.evaluation.offTopic, followUps: r.evaluation.followUps })),
    },
    null,
    1,
  )}\n`,
);
