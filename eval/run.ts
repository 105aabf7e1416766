/**
 * `npm run eval`: every question set in eval/sets/ through the real answer path, in lexical mode,
 * hybrid with the generated bag-of-words model, and hybrid with EMBEDDING_MODEL when it is set;
 * each set alone, then all of them against the library of every set's article. Prints one table
 * per run beside the plain BM25 pipeline, a per-kind breakdown and the targets; writes
 * eval/results/latest.json (the figures) and latest-details.json beside it (every question's record).
 *
 *   npm run eval
 *   npm run eval -- --set seed --mode lexical --misses      # the questions it gets wrong
 *   npm run eval -- --write-floors                          # accept the figures as the new floors
 *   EMBEDDING_MODEL=Snowflake/snowflake-arctic-embed-xs npm run eval   # also score a real model
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../tests/support/model/index.js';
import { floorsOf, FLOORS_FILE } from './lib/floors.js';
import type { ModeName } from './lib/modes.js';
import { formatBreakdown, formatChecks, formatMisses, formatRefusals, formatSetTable } from './lib/report.js';
import { runEvaluation, runKey } from './lib/run-all.js';

const USAGE = `Usage: npm run eval [-- options]
  --set NAME          only this question set (repeatable): seed, seed-holdout, battery, library, fine,
                      battery-fresh, library-fresh, fine-fresh
  --mode MODE         lexical, bag-of-words or model (repeatable; model needs EMBEDDING_MODEL)
  --misses N|all      print the questions each run gets wrong, with how they were decided
  --no-library        skip the runs against the library of every set's article
  --by-style          also break the figures down by how the question is written
  --refusals          also count, for each reason a refusal gives, the questions it refused
  --write-floors      accept these figures as the floors tests/eval/quality.test.ts guards
  --output FILE       where to write the results (default eval/results/latest.json)`;

function parseArguments() {
  try {
    return parseArgs({ options: OPTIONS, allowNegative: true }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

const OPTIONS = {
  set: { type: 'string', multiple: true },
  mode: { type: 'string', multiple: true },
  misses: { type: 'string' },
  library: { type: 'boolean', default: true },
  'by-style': { type: 'boolean' },
  refusals: { type: 'boolean' },
  'write-floors': { type: 'boolean' },
  output: { type: 'string', default: path.join(REPO_ROOT, 'eval', 'results', 'latest.json') },
  help: { type: 'boolean', short: 'h' },
} as const;

const args = parseArguments();
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const started = performance.now();
const modes: ModeName[] = (args.mode as ModeName[] | undefined) ?? ['lexical', 'bag-of-words', ...(process.env['EMBEDDING_MODEL'] ? (['model'] as const) : [])];
const { runs, fusion } = await runEvaluation({
  sets: args.set,
  modes,
  library: args.library,
  onRun(run) {
    console.log(`\n${formatSetTable(run.evaluation, run.label)}`);
    console.log(formatBreakdown('kind', run.evaluation.byKind));
    if (args['by-style']) console.log(formatBreakdown('style', run.evaluation.byStyle));
    if (args.refusals) console.log(formatRefusals(run.evaluation));
    console.log(formatChecks(run.checks));
    if (args.misses !== undefined) console.log(`misses:\n${formatMisses(run.evaluation, args.misses === 'all' ? Infinity : Number(args.misses) || 40)}`);
  },
});

for (const { key, checks } of fusion) {
  const missed = checks.filter((c) => !c.ok);
  console.log(`\nhybrid vs lexical, ${key}: ${missed.length === 0 ? 'never worse' : 'WORSE on ' + missed.map((c) => `${c.name} ${c.detail}`).join('; ')}`);
}
const misses = runs.flatMap((r) => r.checks.filter((c) => !c.ok).map((c) => `${runKey(r)}: ${c.name} ${c.detail}`));
const seconds = (performance.now() - started) / 1000;
console.log(`\n${misses.length === 0 ? 'All targets met.' : `Targets missed:\n  ${misses.join('\n  ')}`}\nFinished in ${seconds.toFixed(1)} s.`);

if (args['write-floors']) {
  await writeFile(FLOORS_FILE, `${JSON.stringify(floorsOf(runs), null, 1)}\n`);
  console.log(`Floors written to ${path.relative(REPO_ROOT, FLOORS_FILE)}.`);
}

// The figures are kept in git; every question's record (answers and traces, several megabytes)
// goes beside them and is not: `npm run eval` writes it again in seconds.
const detailsFile = args.output.replace(/(\.json)?$/, '-details.json');
await mkdir(path.dirname(args.output), { recursive: true });
await writeFile(
  args.output,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      seconds: Math.round(seconds * 10) / 10,
      runs: runs.map((r) => ({ key: runKey(r), set: r.evaluation.set, mode: r.mode, library: r.library, label: r.label, figures: r.evaluation.figures, baseline: r.evaluation.baseline, byKind: r.evaluation.byKind, checks: r.checks })),
      fusion,
      details: path.basename(detailsFile),
    },
    null,
    1,
  )}\n`,
);
await writeFile(
  detailsFile,
  `${JSON.stringify(runs.map((r) => ({ set: r.evaluation.set, mode: r.mode, library: r.library, answerable: r.evaluation.answerable, nearTopic: r.evaluation.nearTopic, offTopic: r.evaluation.offTopic, followUps: r.evaluation.followUps })))}\n`,
);
