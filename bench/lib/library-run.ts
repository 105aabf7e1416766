import { rm } from 'node:fs/promises';
import path from 'node:path';
import { benchEnv, type BenchDtype } from './env.js';
import { median, round } from './stats.js';

/**
 * The library scale part of `npm run bench`: for each size, a library is written
 * (children/library-prepare.ts), then served by fresh processes (children/library.ts) that
 * measure start-up with stored vectors, memory, and open questions against the forward pass.
 * Only q8, the default dtype, as the targets are stated for it.
 */

export const LIBRARY_DTYPE: BenchDtype = 'q8';
/** Fresh processes timed for start-up at each size (the one that also measures latency included). */
const STARTS = 3;

interface PrepareResult {
  articles: number;
  passages: number;
  sentences: number;
  storedBytes: number;
  seconds: number;
  cpuMs: number;
}
interface Latency {
  questions: number;
  floor: { p50: number; p95: number };
  answer: { p50: number; p95: number };
  ratio: number;
  overheadMs: number;
}
type Latencies = { all: Latency; seed: Latency; generated: Latency; unmatched: Latency };
interface ServeResult {
  startup: { articles: number; passages: number; readyMs: number; rssBytes: number; heapUsedBytes: number; arrayBuffersBytes: number; maxRssBytes: number };
  /** Start-up runs: questions answered after ready, and the process's peak RSS then. */
  answeredQuestions?: number;
  peakRssBytes?: number;
  latency?: Latencies;
  cold?: { questions: number; p50: number; max: number };
  cpuMs: number;
}

export interface LibrarySize {
  articles: number;
  passages: number;
  sentences: number;
  storedMB: number;
  prepareSeconds: number;
  startup: { readyMs: number; runs: number[]; rssReadyMB: number; heapUsedMB: number; arrayBuffersMB: number };
  latency: Latencies;
  cold: { questions: number; p50: number; max: number };
  /** Peak RSS of a process that started and answered every question twice (median of the start-up runs). */
  peakRssMB: number;
  answeredQuestions: number;
}

const MB = 1024 * 1024;

export async function runLibraryBench(options: {
  modelDir: string;
  tmp: string;
  sizes: readonly number[];
  child: <T extends { cpuMs: number }>(script: string, env: Record<string, string>) => Promise<T>;
  script: (name: string) => string;
  log: (line: string) => void;
}): Promise<LibrarySize[]> {
  const out: LibrarySize[] = [];
  for (const size of options.sizes) {
    const dir = path.join(options.tmp, `library-${size}`);
    const { ARTICLE_PATH: _one, ...base } = benchEnv(options.modelDir, LIBRARY_DTYPE, dir);
    const env = { ...base, ARTICLES_DIR: path.join(dir, 'articles'), EMBEDDINGS_DIR: path.join(dir, 'embeddings'), BENCH_LIBRARY_SIZE: String(size) };
    options.log(`[library ${size}] writing ${size} articles and their stored vectors …`);
    const prepared = await options.child<PrepareResult>(options.script('library-prepare'), env);
    options.log(`[library ${size}] start-up ×${STARTS}, then open questions …`);
    const starts: ServeResult[] = [];
    for (let i = 0; i < STARTS - 1; i++) starts.push(await options.child<ServeResult>(options.script('library'), { ...env, BENCH_LIBRARY_LATENCY: '0' }));
    const full = await options.child<ServeResult>(options.script('library'), env);
    starts.push(full);
    const ready = starts.map((s) => s.startup.readyMs);
    const answering = starts.filter((s) => s.peakRssBytes !== undefined);
    out.push({
      articles: prepared.articles,
      passages: prepared.passages,
      sentences: prepared.sentences,
      storedMB: round(prepared.storedBytes / MB, 1),
      prepareSeconds: round(prepared.seconds, 1),
      startup: {
        readyMs: round(median(ready), 1),
        runs: ready.map((ms) => round(ms, 1)),
        rssReadyMB: round(median(starts.map((s) => s.startup.rssBytes)) / MB, 1),
        heapUsedMB: round(median(starts.map((s) => s.startup.heapUsedBytes)) / MB, 1),
        arrayBuffersMB: round(median(starts.map((s) => s.startup.arrayBuffersBytes)) / MB, 1),
      },
      latency: full.latency!,
      cold: full.cold!,
      peakRssMB: round(median(answering.map((s) => s.peakRssBytes!)) / MB, 1),
      answeredQuestions: answering[0]!.answeredQuestions!,
    });
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}

export interface LibraryTarget {
  readonly name: string;
  readonly pass: boolean;
  readonly value: string;
  readonly note?: string;
}

/** Figures for the largest library and how they grow between the two largest sizes: where one machine stops being enough. */
export function libraryGrowth(sizes: readonly LibrarySize[]): { perThousandArticles: { rssMB: number; startupMs: number; answerMs: number }; passagesPerArticle: number } | undefined {
  if (sizes.length < 2) return undefined;
  const [a, b] = sizes.slice(-2) as [LibrarySize, LibrarySize];
  const per = 1000 / (b.articles - a.articles);
  return {
    perThousandArticles: {
      rssMB: round((b.peakRssMB - a.peakRssMB) * per, 1),
      startupMs: round((b.startup.readyMs - a.startup.readyMs) * per, 1),
      answerMs: round((b.latency.all.answer.p50 - a.latency.all.answer.p50) * per, 2),
    },
    passagesPerArticle: round(b.passages / b.articles, 1),
  };
}

export function libraryTargets(sizes: readonly LibrarySize[]): LibraryTarget[] {
  const list: LibraryTarget[] = [];
  const ten = sizes.find((s) => s.articles === 10);
  const thousand = sizes.find((s) => s.articles === 1000);
  if (ten) {
    list.push({
      name: 'library of 10: answer p50 ≤ 1.15 × forward pass (q8)',
      pass: ten.latency.all.ratio <= 1.15,
      value: `${ten.latency.all.ratio.toFixed(2)}× (${ten.latency.all.answer.p50.toFixed(2)} vs ${ten.latency.all.floor.p50.toFixed(2)} ms)`,
    });
  }
  if (thousand) {
    const unmatched = thousand.latency.unmatched;
    list.push({
      name: `library of 1,000 (${thousand.passages.toLocaleString('en-US')} passages): answer p50 ≤ 4 × forward pass (q8)`,
      pass: thousand.latency.all.ratio <= 4 && unmatched.ratio <= 4,
      value: `${thousand.latency.all.ratio.toFixed(2)}× (${thousand.latency.all.answer.p50.toFixed(2)} vs ${thousand.latency.all.floor.p50.toFixed(2)} ms); routed by meaning alone ${unmatched.ratio.toFixed(2)}× (${unmatched.answer.p50.toFixed(2)} vs ${unmatched.floor.p50.toFixed(2)} ms)`,
      note: `first question to reach an article (builds its sentence index and facts): p50 ${thousand.cold.p50.toFixed(0)} ms, max ${thousand.cold.max.toFixed(0)} ms`,
    });
    list.push({
      name: 'library of 1,000: start-up with stored vectors ≤ 3 s (q8)',
      pass: thousand.startup.readyMs <= 3000,
      value: `${(thousand.startup.readyMs / 1000).toFixed(2)} s (median of ${thousand.startup.runs.length})`,
    });
    list.push({
      name: 'library of 1,000: RSS ≤ 600 MB (q8)',
      pass: thousand.peakRssMB <= 600,
      value: `peak ${thousand.peakRssMB.toFixed(0)} MB over start-up and ${thousand.answeredQuestions} answers; ${thousand.startup.rssReadyMB.toFixed(0)} MB when ready`,
    });
  }
  return list;
}

/** Report rows: [label, value] pairs, or a heading string. */
export function libraryRows(sizes: readonly LibrarySize[]): Array<[string, string] | string> {
  const rows: Array<[string, string] | string> = [];
  rows.push(`8  Library scale (q8): open questions routed over every article; generated articles, stored vectors`);
  for (const s of sizes) {
    rows.push(`   ${s.articles.toLocaleString('en-US')} articles, ${s.passages.toLocaleString('en-US')} passages, ${s.sentences.toLocaleString('en-US')} sentences (${s.storedMB.toFixed(0)} MB stored)`);
    rows.push(['     start-up, stored vectors (median of 3)', `${(s.startup.readyMs / 1000).toFixed(2)} s`]);
    rows.push(['     answer p50 / forward pass p50', `${s.latency.all.answer.p50.toFixed(2)} / ${s.latency.all.floor.p50.toFixed(2)} ms  (${s.latency.all.ratio.toFixed(2)}×, +${s.latency.all.overheadMs.toFixed(2)} ms)`]);
    rows.push(['     answer p95', `${s.latency.all.answer.p95.toFixed(2)} ms`]);
    rows.push(['     routed by meaning alone: p50 / forward pass', `${s.latency.unmatched.answer.p50.toFixed(2)} / ${s.latency.unmatched.floor.p50.toFixed(2)} ms  (${s.latency.unmatched.ratio.toFixed(2)}×)`]);
    if (s.cold.questions > 0) rows.push(['     first question to reach an article, p50', `${s.cold.p50.toFixed(1)} ms`]);
    rows.push([`     RSS ready / peak over ${s.answeredQuestions} answers`, `${s.startup.rssReadyMB.toFixed(0)} / ${s.peakRssMB.toFixed(0)} MB`]);
  }
  const growth = libraryGrowth(sizes);
  if (growth) {
    const g = growth.perThousandArticles;
    rows.push(['   each further 1,000 articles adds', `${g.rssMB.toFixed(0)} MB, ${(g.startupMs / 1000).toFixed(2)} s of start-up, ${g.answerMs.toFixed(2)} ms per question`]);
  }
  return rows;
}
