/**
 * `npm run bench`: the answer path measured against its physical floor, on a model with the
 * default model's exact shape (tests/support/model: BERT, vocab 30522, hidden 384, 6 layers,
 * 12 heads, intermediate 1536 — random weights, so the answers are meaningless but every forward
 * pass costs what the real model's does), in q8 and fp32.
 *
 * What is measured is what users run: the program compiled to JavaScript on plain Node. dist/ is
 * built first (as `npm start` builds it); the measuring children (bench/children/*.ts, see each
 * for what it measures) are compiled to bench/.build/*.mjs with esbuild and run on plain Node; the
 * one-shot question is the real `npm run ask -- --json` command. This orchestration alone runs
 * under tsx. Every child is a fresh process configured through the environment as a user would
 * (bench/lib/env.ts). Prints a table and the targets with PASS/MISS, and writes
 * bench/results/latest.json.
 *
 *   npm run bench                 # both dtypes and the library scale (about 4 minutes on 2
 *                                 # cores, plus up to 45 s waiting for other processes to leave
 *                                 # the CPU idle)
 *   npm run bench -- --dtype q8   # one dtype
 *   npm run bench -- --part library --library-sizes 10,1000   # only the library scale
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuilt } from '../scripts/compiled.mjs';
import { ensureBenchModel } from '../tests/support/model/index.js';
import { runChild } from './lib/child.js';
import { benchEnv, CLEARED_ENV, REPO_ROOT, type BenchDtype } from './lib/env.js';
import { libraryGrowth, libraryRows, libraryTargets, runLibraryBench, type LibrarySize } from './lib/library-run.js';
import { median, round } from './lib/stats.js';

const { values: args } = parseArgs({
  options: {
    dtype: { type: 'string', multiple: true },
    starts: { type: 'string', default: '7' },
    'one-shots': { type: 'string', default: '7' },
    output: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'results', 'latest.json') },
    part: { type: 'string', multiple: true },
    'library-sizes': { type: 'string', default: '10,100,1000' },
  },
});
const PARTS = new Set(args.part?.length ? args.part : ['core', 'library']);
for (const p of PARTS) if (p !== 'core' && p !== 'library') throw new Error(`--part must be core or library, not ${p}`);
const LIBRARY_SIZES = args['library-sizes']!.split(',').map(Number);
for (const n of LIBRARY_SIZES) if (!Number.isInteger(n) || n < 1) throw new Error(`--library-sizes must list positive integers, not ${args['library-sizes']}`);
const DTYPES = (args.dtype?.length ? args.dtype : ['q8', 'fp32']) as BenchDtype[];
for (const d of DTYPES) if (d !== 'q8' && d !== 'fp32') throw new Error(`--dtype must be q8 or fp32, not ${d}`);
const STARTS = Math.max(5, Number(args.starts));
const ONE_SHOTS = Math.max(5, Number(args['one-shots']));
/** The question of the one-shot measurement: a passage question, so it takes a forward pass. */
const ONE_SHOT_QUESTION = 'What did Germany do with the refineries owned by Rosneft?';
const MB = 1024 * 1024;

// ── result shapes printed by the children ──
interface Stats {
  p50: number;
  p95: number;
  min: number;
  max: number;
  n: number;
}
interface CoreResult {
  dtype: string;
  model: string;
  sessionOptions: Record<string, unknown>;
  questions: number;
  tokens: { min: number; median: number; max: number };
  resultKinds: Record<string, number>;
  floor: Stats;
  answer: Stats;
  answerOverFloor: number;
  answerOverFloorPaired: number;
  overheadMs: number;
  perQuestion: { question: string; tokens: number; floorMs: number; answerMs: number }[];
  floorCrossCheck: { independentSessionMs: number; servedSessionMs: number };
  eventLoop: { passes: number; meanPassMs: number; delayP50Ms: number; delayMaxMs: number };
  throughput: { concurrency: number; qps: number; ratio: number; forwardPasses: number; meanBatch: number }[];
  ceiling: {
    mixed16: { singlesMs: number; batchMs: number; ratio: number; paddedTokens: number; realTokens: number };
    same16: { question: string; singlesMs: number; batchMs: number; ratio: number };
  };
  embeddingsIdenticalToPipeline: string;
  batchedVsAloneMinCosine: number;
  indexBuild: { ms: number; runsMs: number[]; passages: number; sentences: number; uniqueTexts: number; probes: number };
  cpuMs: number;
}
interface OneShotResult {
  runs: number;
  /** `npm run ask -- --json "…"`: the command as users type it (npm, then dist/cli/ask.js). */
  npmAskMs: number;
  /** `node dist/cli/ask.js --json "…"`: the same without npm's own start-up. */
  nodeAskMs: number;
  /** A process that only loads the model with the same compiled code (bench/children/model-only.mjs), spawn to exit. */
  modelOnlyMs: number;
  /** `npm run env` (npm's built-in script that only prints the environment): what npm itself costs. */
  npmFloorMs: number;
  ratio: number;
  /** Median of the ratios of runs made back to back: less sensitive to the machine's load drifting. */
  pairedRatio: number;
  nodeRatio: number;
  npmRuns: number[];
  modelRuns: number[];
}
interface StartResult {
  kind: string;
  readyMs: number;
  rssBytes: number;
  maxRssBytes: number;
  index?: string;
  firstAnswerMs?: number;
  cpuMs: number;
}
interface DiscordResult {
  asks: number;
  failures: number;
  discord: { p50: number; p95: number; max: number };
  answer: { p50: number; p95: number; max: number };
  addedMsP50: number;
  addedMsPairedMedian: number;
  ratio: number;
  cpuMs: number;
}

// ── CPU accounting: how busy was the machine with other work while we measured? ──
let childCpuMs = 0;
function cpuJiffies(): { busy: number; total: number } | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3]! + (fields[4] ?? 0);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}
async function busyShare(ms: number): Promise<number | undefined> {
  const a = cpuJiffies();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = cpuJiffies();
  if (!a || !b || b.total === a.total) return undefined;
  return (b.busy - a.busy) / (b.total - a.total);
}
/** Waits (up to `maxMs`) until other processes leave the CPU mostly idle; the bench is honest either way, only noisier. */
async function waitForQuiet(maxMs: number): Promise<{ waitedMs: number; busy: number | undefined }> {
  const started = performance.now();
  let busy = await busyShare(500);
  while (busy !== undefined && busy > 0.2 && performance.now() - started < maxMs) busy = await busyShare(1000);
  return { waitedMs: Math.round(performance.now() - started), busy };
}
async function child<T extends { cpuMs: number }>(script: string, env: Record<string, string>, options: { tsx?: boolean } = {}): Promise<T> {
  const { result } = await runChild<T>(script, env, [], options);
  childCpuMs += result.cpuMs;
  return result;
}

/** Wall time from spawning `command` to its exit (it must exit 0), as a shell user would see it. */
function timeProcess(command: string, commandArgs: readonly string[], env: Record<string, string>): Promise<number> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of CLEARED_ENV) delete childEnv[key];
  // npm sets these for the scripts it runs (this bench among them); a user's shell has none.
  for (const key of Object.keys(childEnv)) if (key.startsWith('npm_')) delete childEnv[key];
  Object.assign(childEnv, env);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const run = spawn(command, commandArgs, { cwd: REPO_ROOT, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    run.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    run.on('error', reject);
    run.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code === 0) resolve(wallMs);
      else reject(new Error(`${command} ${commandArgs.join(' ')} exited with ${code}:\n${stderr.trim().split('\n').slice(-10).join('\n')}`));
    });
  });
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

// ── the machine ──
const packageVersion = (name: string): string => {
  try {
    return (JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};
const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model.trim() ?? 'unknown',
  cores: os.availableParallelism?.() ?? cpus.length,
  memoryGB: round(os.totalmem() / 1024 ** 3, 1),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  onnxruntimeNode: packageVersion('onnxruntime-node'),
  transformers: packageVersion('@huggingface/transformers'),
  tsx: packageVersion('tsx'),
};

const benchStarted = performance.now();
const jiffiesAtStart = cpuJiffies();
const cpuAtStart = process.cpuUsage();
log(`Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`);
const modelStarted = performance.now();
const modelDir = await ensureBenchModel();
log(`Bench model: ${path.relative(REPO_ROOT, modelDir)} (${((performance.now() - modelStarted) / 1000).toFixed(1)} s)`);
const quiet = await waitForQuiet(45_000);
if (quiet.busy !== undefined && quiet.busy > 0.2) log(`Note: other processes keep ${Math.round(quiet.busy * 100)} % of the CPU busy; figures will be noisier.`);

const tmp = await mkdtemp(path.join(os.tmpdir(), 'article-bot-bench-'));
// What users run: dist/ (built now, as `npm start` would), and the measuring children compiled too.
if (await ensureBuilt()) log('Compiled src/ to dist/');
const CHILD = await compileChildren(['core', 'start-service', 'start-model', 'discord', 'library-prepare', 'library']);

// What importing @huggingface/transformers costs in resident memory, on plain Node and under tsx.
interface ImportCost {
  rssBeforeBytes: number;
  rssAfterBytes: number;
  importMs: number;
  cpuMs: number;
}
const importCost = { node: [] as number[], tsx: [] as number[] };
for (let i = 0; i < 3; i++) {
  for (const tsx of [false, true]) {
    const r = await child<ImportCost>(path.join(REPO_ROOT, 'bench', 'children', 'import-cost.mjs'), {}, { tsx });
    importCost[tsx ? 'tsx' : 'node'].push((r.rssAfterBytes - r.rssBeforeBytes) / MB);
  }
}
const transformersImportMB = { node: round(median(importCost.node), 1), tsx: round(median(importCost.tsx), 1) };

interface DtypeResult {
  core: CoreResult;
  start: {
    runs: number;
    serviceReadyMs: number;
    modelReadyMs: number;
    ratio: number;
    serviceRuns: number[];
    modelRuns: number[];
    firstAnswerMs: number;
    firstStart: { readyMs: number; index: string | undefined; maxRssMB: number };
  };
  oneShot: OneShotResult;
  memory: {
    rssReadyMB: number;
    maxRssReadyMB: number;
    modelOnlyRssReadyMB: number;
    firstStartPeakMB: number;
  };
  discord?: DiscordResult;
}
const results: Partial<Record<BenchDtype, DtypeResult>> = {};
let library: LibrarySize[] | undefined;

try {
  for (const dtype of PARTS.has('core') ? DTYPES : []) {
    const env = benchEnv(modelDir, dtype, tmp);
    log(`[${dtype}] floor, answer latency, throughput, index build …`);
    const core = await child<CoreResult>(CHILD('core'), { ...env, EMBEDDINGS_DIR: path.join(tmp, `core-${dtype}`) });

    log(`[${dtype}] warm start ×${STARTS} …`);
    // The first start embeds the article and writes embeddings/; every later one loads it.
    const first = await child<StartResult>(CHILD('start-service'), env);
    const service: StartResult[] = [];
    const model: StartResult[] = [];
    for (let i = 0; i < STARTS; i++) {
      // Alternate the order, so drifts in machine load hit both alike.
      if (i % 2 === 0) {
        service.push(await child<StartResult>(CHILD('start-service'), env));
        model.push(await child<StartResult>(CHILD('start-model'), env));
      } else {
        model.push(await child<StartResult>(CHILD('start-model'), env));
        service.push(await child<StartResult>(CHILD('start-service'), env));
      }
    }
    if (service.some((s) => s.index !== 'loaded')) throw new Error('a warm start did not load the stored embeddings');

    log(`[${dtype}] one-shot \`npm run ask -- --json\` ×${ONE_SHOTS} …`);
    // embeddings/ is present (the starts above wrote it), as after a user's first question.
    const npmAsk = () => timeProcess('npm', ['run', 'ask', '--', '--json', ONE_SHOT_QUESTION], env);
    const nodeAsk = () => timeProcess(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli', 'ask.js'), '--json', ONE_SHOT_QUESTION], env);
    const modelOnly = () => timeProcess(process.execPath, [path.join(REPO_ROOT, 'bench', 'children', 'model-only.mjs')], env);
    const npmFloor = () => timeProcess('npm', ['run', 'env'], env);
    await npmAsk();
    const oneShot = { npm: [] as number[], node: [] as number[], model: [] as number[], floor: [] as number[] };
    const measure = { npm: npmAsk, node: nodeAsk, model: modelOnly, floor: npmFloor };
    for (let i = 0; i < ONE_SHOTS; i++) {
      const order = i % 2 === 0 ? (['npm', 'model', 'node', 'floor'] as const) : (['model', 'npm', 'floor', 'node'] as const);
      for (const which of order) oneShot[which].push(await measure[which]());
    }
    const serviceReady = median(service.map((s) => s.readyMs));
    const modelReady = median(model.map((s) => s.readyMs));
    results[dtype] = {
      core,
      start: {
        runs: STARTS,
        serviceReadyMs: round(serviceReady, 1),
        modelReadyMs: round(modelReady, 1),
        ratio: round(serviceReady / modelReady),
        serviceRuns: service.map((s) => round(s.readyMs, 1)),
        modelRuns: model.map((s) => round(s.readyMs, 1)),
        firstAnswerMs: round(median(service.map((s) => s.firstAnswerMs ?? Number.NaN))),
        firstStart: { readyMs: round(first.readyMs, 1), index: first.index, maxRssMB: round(first.maxRssBytes / MB, 1) },
      },
      oneShot: {
        runs: ONE_SHOTS,
        npmAskMs: round(median(oneShot.npm), 1),
        nodeAskMs: round(median(oneShot.node), 1),
        modelOnlyMs: round(median(oneShot.model), 1),
        npmFloorMs: round(median(oneShot.floor), 1),
        ratio: round(median(oneShot.npm) / median(oneShot.model)),
        pairedRatio: round(median(oneShot.npm.map((ms, i) => ms / oneShot.model[i]!))),
        nodeRatio: round(median(oneShot.node) / median(oneShot.model)),
        npmRuns: oneShot.npm.map((ms) => round(ms, 1)),
        modelRuns: oneShot.model.map((ms) => round(ms, 1)),
      },
      memory: {
        rssReadyMB: round(median(service.map((s) => s.rssBytes)) / MB, 1),
        maxRssReadyMB: round(median(service.map((s) => s.maxRssBytes)) / MB, 1),
        modelOnlyRssReadyMB: round(median(model.map((s) => s.rssBytes)) / MB, 1),
        firstStartPeakMB: round(first.maxRssBytes / MB, 1),
      },
    };
  }
  // End to end through Discord last: it needs the fake Discord of the tests.
  for (const dtype of PARTS.has('core') ? DTYPES : []) {
    log(`[${dtype}] end to end through the fake Discord …`);
    const env = benchEnv(modelDir, dtype, tmp);
    results[dtype]!.discord = await child<DiscordResult>(CHILD('discord'), { ...env, EMBEDDINGS_DIR: path.join(tmp, `discord-${dtype}`) });
  }
  if (PARTS.has('library')) {
    library = await runLibraryBench({ modelDir, tmp, sizes: LIBRARY_SIZES, child, script: CHILD, log });
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}

// ── CPU used by other processes during the run ──
const wallMs = performance.now() - benchStarted;
const jiffiesAtEnd = cpuJiffies();
const ownCpu = process.cpuUsage(cpuAtStart);
const ownCpuMs = (ownCpu.user + ownCpu.system) / 1000 + childCpuMs;
const ticksPerSecond = 100;
const machineBusyMs = jiffiesAtStart && jiffiesAtEnd ? ((jiffiesAtEnd.busy - jiffiesAtStart.busy) * 1000) / ticksPerSecond : undefined;
const otherCpuShare = machineBusyMs === undefined ? undefined : Math.max(0, (machineBusyMs - ownCpuMs) / (wallMs * machine.cores));

// ── report ──
const targets = evaluateTargets();
const report = renderReport();
process.stdout.write(report);
await mkdir(path.dirname(args.output!), { recursive: true });
await writeFile(
  args.output!,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine,
      command: 'npm run bench',
      seconds: round(wallMs / 1000, 1),
      otherProcessesCpuShare: otherCpuShare === undefined ? null : round(otherCpuShare, 3),
      quietWait: quiet,
      transformersImportMB,
      benchModel: { dir: path.relative(REPO_ROOT, modelDir), shape: 'BERT vocab 30522, hidden 384, 6 layers, 12 heads, intermediate 1536, 512 positions' },
      results,
      library: library ? { dtype: 'q8', sizes: library, growth: libraryGrowth(library) } : undefined,
      targets,
    },
    null,
    2,
  ) + '\n',
);
log(`Wrote ${path.relative(REPO_ROOT, args.output!)} (${(wallMs / 1000).toFixed(0)} s)`);

// ── helpers ──

/**
 * The measuring children compiled to plain JavaScript with esbuild (the program's sources bundled
 * in, packages left in node_modules), so they run on plain Node like `npm start`: under tsx,
 * importing transformers.js alone costs about 125 MB more and start-up is twice as slow. The files
 * land in bench/.build/, as deep as bench/lib/ (which finds the repository from its own place).
 * Returns each child's path by name.
 */
async function compileChildren(names: readonly string[]): Promise<(name: string) => string> {
  const esbuild = await import('esbuild');
  const outdir = path.join(REPO_ROOT, 'bench', '.build');
  await esbuild.build({
    entryPoints: names.map((name) => path.join(REPO_ROOT, 'bench', 'children', `${name}.ts`)),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  });
  return (name) => {
    if (!names.includes(name)) throw new Error(`bench child ${name} was not compiled`);
    return path.join(outdir, `${name}.mjs`);
  };
}

interface Target {
  readonly name: string;
  readonly pass: boolean;
  readonly value: string;
  readonly note?: string;
}

function evaluateTargets(): Target[] {
  const list: Target[] = [...coreTargets(), ...(library ? libraryTargets(library) : [])];
  return list;
}

function coreTargets(): Target[] {
  const q8 = results.q8;
  const list: Target[] = [];
  if (!q8) return list;
  const c16 = q8.core.throughput.find((t) => t.concurrency === 16)!;
  list.push({
    name: 'answer latency p50 ≤ 1.15 × floor (q8)',
    pass: q8.core.answerOverFloor <= 1.15,
    value: `${q8.core.answerOverFloor.toFixed(2)}× (${q8.core.answer.p50.toFixed(2)} vs ${q8.core.floor.p50.toFixed(2)} ms; paired ${q8.core.answerOverFloorPaired.toFixed(2)}×)`,
  });
  list.push({
    name: 'warm start ≤ 1.2 × model-only start (q8)',
    pass: q8.start.ratio <= 1.2,
    value: `${q8.start.ratio.toFixed(2)}× (${fmtMs(q8.start.serviceReadyMs)} vs ${fmtMs(q8.start.modelReadyMs)})`,
  });
  list.push({
    name: 'throughput at 16 concurrent ≥ 2 × sequential (q8)',
    pass: c16.ratio >= 2,
    value: `${c16.ratio.toFixed(2)}× (${c16.qps.toFixed(0)} vs ${q8.core.throughput[0]!.qps.toFixed(0)} q/s, ${c16.meanBatch.toFixed(1)} questions per forward pass)`,
    note: `ceiling on this CPU, raw onnxruntime: one batch of the same 16 questions vs 16 single passes = ${q8.core.ceiling.mixed16.ratio.toFixed(2)}×; 16 copies of one question (no padding) = ${q8.core.ceiling.same16.ratio.toFixed(2)}×`,
  });
  if (q8.discord) {
    list.push({
      name: 'Discord /ask p50 ≤ answer p50 + 10 ms (q8, loopback)',
      pass: q8.discord.discord.p50 <= q8.discord.answer.p50 + 10,
      value: `${q8.discord.discord.p50.toFixed(1)} ms vs ${q8.discord.answer.p50.toFixed(1)} ms (+${q8.discord.addedMsP50.toFixed(1)} ms)`,
    });
  }
  list.push({
    name: 'one-shot `npm run ask -- --json` ≤ 1.3 × a process that only loads the model (q8)',
    pass: q8.oneShot.ratio <= 1.3,
    value: `${q8.oneShot.ratio.toFixed(2)}× (${fmtMs(q8.oneShot.npmAskMs)} vs ${fmtMs(q8.oneShot.modelOnlyMs)}, medians of ${q8.oneShot.runs}, spawn to exit; paired ${q8.oneShot.pairedRatio.toFixed(2)}×)`,
    note: `without npm (node dist/cli/ask.js): ${fmtMs(q8.oneShot.nodeAskMs)}, ${q8.oneShot.nodeRatio.toFixed(2)}×; npm's own start-up (\`npm run env\`) takes ${fmtMs(q8.oneShot.npmFloorMs)}`,
  });
  // `npm start` runs the compiled JavaScript (dist/) on plain Node; tsx is only for development.
  list.push({
    name: 'RSS when ready ≤ 250 MB (q8, compiled, plain node, as npm start)',
    pass: q8.memory.rssReadyMB <= 250,
    value: `${q8.memory.rssReadyMB.toFixed(0)} MB`,
    note: `tsx (npm run dev) transforms the 1.3 MB transformers.js bundle on import: +${transformersImportMB.tsx.toFixed(0)} MB vs +${transformersImportMB.node.toFixed(0)} MB on plain node`,
  });
  return list;
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

function renderReport(): string {
  const cols = PARTS.has('core') ? DTYPES : [];
  const rows: Array<[string, ...string[]] | string> = PARTS.has('core') ? coreRows(cols) : [];
  if (library) rows.push(...libraryRows(library));
  const any = cols.length > 0 ? results[cols[0]!] : undefined;
  const width0 = Math.max(...rows.map((r) => (typeof r === 'string' ? 0 : r[0].length)));
  const widths = cols.map((_, i) => Math.max(...rows.map((r) => (typeof r === 'string' ? 0 : (r[i + 1] ?? '').length))));
  const lines: string[] = [];
  lines.push('');
  lines.push('Performance — bench model with the default model\'s shape (BERT 30522/384/6 layers/12 heads/1536), seed article');
  lines.push(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, Node ${machine.node} (${machine.platform}); onnxruntime-node ${machine.onnxruntimeNode}, @huggingface/transformers ${machine.transformers}`);
  if (any) lines.push(`Session options (captured from transformers.js): ${JSON.stringify(any.core.sessionOptions)}`);
  if (otherCpuShare !== undefined) lines.push(`Other processes used ${(otherCpuShare * 100).toFixed(0)} % of the CPU during the run${otherCpuShare > 0.1 ? ' — figures are noisier than on an idle machine' : ''}.`);
  lines.push('');
  for (const r of rows) {
    if (typeof r === 'string') lines.push(r);
    else lines.push([r[0].padEnd(width0), ...r.slice(1).map((c, i) => c.padEnd(widths[i]!))].join('  ').trimEnd());
  }
  lines.push('');
  lines.push('Targets');
  for (const t of targets) {
    lines.push(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.name}: ${t.value}`);
    if (t.note) lines.push(`        ${t.note}`);
  }
  lines.push('');
  return lines.join('\n') + '\n';
}

function coreRows(cols: readonly BenchDtype[]): Array<[string, ...string[]] | string> {
  const rows: Array<[string, ...string[]] | string> = [];
  const each = (f: (r: DtypeResult) => string) => cols.map((d) => f(results[d]!));
  const any = results[cols[0]!]!;
  rows.push(['', ...cols]);

  rows.push('1  Floor: bare forward pass, pre-tokenized, onnxruntime-node');
  rows.push(['   p50 / p95', ...each((r) => `${r.core.floor.p50.toFixed(2)} / ${r.core.floor.p95.toFixed(2)} ms`)]);
  rows.push(['   cross-check: new session, same options', ...each((r) => `${r.core.floorCrossCheck.independentSessionMs.toFixed(2)} ms (served ${r.core.floorCrossCheck.servedSessionMs.toFixed(2)})`)]);
  rows.push(['   event loop blocked per pass (p50)', ...each((r) => `${r.core.eventLoop.delayP50Ms.toFixed(2)} ms of ${r.core.eventLoop.meanPassMs.toFixed(2)}`)]);
  rows.push(`2  Answer latency: service.answer, ${any.core.questions} questions (${any.core.tokens.min}–${any.core.tokens.max} tokens)`);
  rows.push(['   p50 / p95', ...each((r) => `${r.core.answer.p50.toFixed(2)} / ${r.core.answer.p95.toFixed(2)} ms`)]);
  rows.push(['   p50 ÷ floor p50 (paired)', ...each((r) => `${r.core.answerOverFloor.toFixed(2)}× (${r.core.answerOverFloorPaired.toFixed(2)}×)`)]);
  rows.push(['   above the floor', ...each((r) => `+${r.core.overheadMs.toFixed(2)} ms`)]);
  rows.push(['   vectors = transformers.js pipeline, bitwise', ...each((r) => r.core.embeddingsIdenticalToPipeline)]);
  rows.push(['   batched vs alone (padding), min cosine', ...each((r) => r.core.batchedVsAloneMinCosine.toFixed(6))]);
  rows.push(`3  Warm start: fresh process → ready, embeddings/ present, compiled on plain node (median of ${STARTS})`);
  rows.push(['   service / model only', ...each((r) => `${fmtMs(r.start.serviceReadyMs)} / ${fmtMs(r.start.modelReadyMs)}`)]);
  rows.push(['   ratio', ...each((r) => `${r.start.ratio.toFixed(2)}×`)]);
  rows.push(['   first start (embeds, writes embeddings/)', ...each((r) => fmtMs(r.start.firstStart.readyMs))]);
  rows.push(['   first answer after start', ...each((r) => fmtMs(r.start.firstAnswerMs))]);
  rows.push(`   One-shot question: spawn → exit (median of ${ONE_SHOTS})`);
  rows.push(['   npm run ask -- --json / model only', ...each((r) => `${fmtMs(r.oneShot.npmAskMs)} / ${fmtMs(r.oneShot.modelOnlyMs)}  (${r.oneShot.ratio.toFixed(2)}×)`)]);
  rows.push(['   node dist/cli/ask.js --json (no npm)', ...each((r) => `${fmtMs(r.oneShot.nodeAskMs)}  (${r.oneShot.nodeRatio.toFixed(2)}×)`)]);
  rows.push(["   npm's own start-up (npm run env)", ...each((r) => fmtMs(r.oneShot.npmFloorMs))]);
  const ib = any.core.indexBuild;
  rows.push(`4  Index build: buildArticleIndex, no store (${ib.passages} passages, ${ib.sentences} sentences, ${ib.uniqueTexts} distinct texts, ${ib.probes} probes)`);
  rows.push(['   median of 3', ...each((r) => fmtMs(r.core.indexBuild.ms))]);
  rows.push('5  Throughput: closed loop, service.answer (questions/s)');
  for (const c of [1, 4, 16]) {
    rows.push([
      `   ${c} concurrent`,
      ...each((r) => {
        const t = r.core.throughput.find((x) => x.concurrency === c)!;
        return `${t.qps.toFixed(0)} q/s  ${t.ratio.toFixed(2)}×  (batch ${t.meanBatch.toFixed(1)})`;
      }),
    ]);
  }
  rows.push(['   ceiling: raw batch of 16 vs 16 singles', ...each((r) => `${r.core.ceiling.mixed16.ratio.toFixed(2)}×`)]);
  rows.push(['   ceiling without padding (same question)', ...each((r) => `${r.core.ceiling.same16.ratio.toFixed(2)}×`)]);
  if (any.discord) {
    rows.push('6  End to end through Discord: /ask dispatched → reply received (fake Discord, loopback)');
    rows.push(['   p50 / p95', ...each((r) => `${r.discord!.discord.p50.toFixed(2)} / ${r.discord!.discord.p95.toFixed(2)} ms`)]);
    rows.push(['   answer p50 in the same run', ...each((r) => `${r.discord!.answer.p50.toFixed(2)} ms`)]);
    rows.push(['   added by Discord (p50 difference)', ...each((r) => `+${r.discord!.addedMsP50.toFixed(2)} ms  (${r.discord!.ratio.toFixed(2)}×)`)]);
  }
  rows.push('7  Memory (RSS), compiled on plain node');
  rows.push(['   service ready (as npm start)', ...each((r) => `${r.memory.rssReadyMB.toFixed(0)} MB`)]);
  rows.push(['   peak until ready (maxRSS)', ...each((r) => `${r.memory.maxRssReadyMB.toFixed(0)} MB`)]);
  rows.push(['   model only, ready', ...each((r) => `${r.memory.modelOnlyRssReadyMB.toFixed(0)} MB`)]);
  rows.push(['   first start peak (embeds the article)', ...each((r) => `${r.memory.firstStartPeakMB.toFixed(0)} MB`)]);
  rows.push(['   import @huggingface/transformers: node / tsx', `+${transformersImportMB.node.toFixed(0)} MB / +${transformersImportMB.tsx.toFixed(0)} MB`]);

  return rows;
}
