/**
 * Child process: one library (written by library-prepare.ts) served as `npm start` serves it,
 * in a fresh process. Prints one JSON line.
 *
 * 1. start-up — process start → service ready, every article's vectors loaded from the store;
 *    RSS then, and its peak.
 * 2. with BENCH_LIBRARY_LATENCY=0: every question answered twice, then the peak RSS — memory as a
 *    user's process has it, without the measuring below.
 * 3. otherwise, answer latency — open questions (routed over the whole library, no article named),
 *    each timed against the bare forward pass of the same question on the service's own
 *    onnxruntime session, interleaved, as in core.ts. Three kinds: the bench questions about the
 *    seed article, questions about generated articles, and questions in words no article uses
 *    (routed by dense similarity alone, as paraphrases lean on it). "Cold" is each generated
 *    question's first answer: the articles it reaches build their sentence index and facts then
 *    (they are built on first use).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { createAnswerService } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { emit } from '../lib/child.js';
import { captureSessions, toFeeds, type Feeds } from '../lib/ort.js';
import { median, round, summarize } from '../lib/stats.js';

const LATENCY_REPS = Number(process.env.BENCH_LIBRARY_REPS ?? 15);
const WARMUP_REPS = 3;

const config = parseConfig(process.env);
const capture = captureSessions();
let loaded = 0;
let rebuilt = 0;
const service = await createAnswerService(config, {
  logger: createLogger('warn'),
  onIndexEvent: (event) => {
    if (event.type === 'loaded') loaded++;
    if (event.type === 'rebuilding') rebuilt++;
  },
});
// Node's performance.now() counts from the start of this process (performance.timeOrigin).
const readyMs = performance.now();
const memory = process.memoryUsage();
// maxRSS is in kilobytes.
const maxRssReadyBytes = process.resourceUsage().maxRSS * 1024;
capture.restore();
const articles = service.library.size;
if (rebuilt > 0 || loaded !== articles) throw new Error(`${loaded} of ${articles} articles loaded their stored vectors (${rebuilt} rebuilt)`);
if (service.mode !== 'hybrid') throw new Error(`the service runs in ${service.mode} mode`);
const startup = {
  articles,
  passages: service.library.articles.reduce((n, a) => n + a.passages.length, 0),
  readyMs: round(readyMs, 1),
  rssBytes: memory.rss,
  heapUsedBytes: memory.heapUsed,
  arrayBuffersBytes: memory.arrayBuffers,
  maxRssBytes: maxRssReadyBytes,
};
const { seed, generated, unmatched } = JSON.parse(await readFile(path.join(config.articlesDir, 'questions.json'), 'utf8')) as {
  seed: string[];
  generated: { question: string; article: string }[];
  unmatched: string[];
};
if (process.env.BENCH_LIBRARY_LATENCY === '0') {
  // Memory as a user's process has it: every question answered twice (the first time reaches
  // cold articles), nothing of the bench's own measuring loaded.
  for (let rep = 0; rep < 2; rep++) for (const q of [...seed, ...generated.map((g) => g.question), ...unmatched]) await service.answer(q);
  emit({ startup, answeredQuestions: 2 * (seed.length + generated.length + unmatched.length), peakRssBytes: process.resourceUsage().maxRSS * 1024, rssAfterBytes: process.memoryUsage().rss });
  process.exit(0);
}

// The model's session: the one made from a file (the matrix product's is made from bytes).
const session = capture.sessions.find((s) => s.source !== '<buffer>')!.session;
env.allowLocalModels = true;
env.allowRemoteModels = false;
env.localModelPath = path.dirname(path.resolve(config.embedding.model)) + path.sep;
const tokenizer = await AutoTokenizer.from_pretrained(path.basename(path.resolve(config.embedding.model)));
const prefix = config.embedding.queryPrefix ?? '';
const feedsOf = (text: string): Feeds =>
  toFeeds(session, tokenizer([prefix + text], { padding: true, truncation: true }) as unknown as Record<string, { type: string; data: unknown; dims: number[] }>);

type Kind = 'seed' | 'generated' | 'unmatched';
const questions: { question: string; kind: Kind }[] = [
  ...seed.map((q) => ({ question: q, kind: 'seed' as const })),
  ...generated.map((g) => ({ question: g.question, kind: 'generated' as const })),
  ...unmatched.map((q) => ({ question: q, kind: 'unmatched' as const })),
];
const feeds = questions.map((q) => feedsOf(q.question));
const now = () => performance.now();
const timeFloor = async (i: number) => {
  const t = now();
  await session.run(feeds[i]!);
  return now() - t;
};
const timeAnswer = async (i: number) => {
  const t = now();
  await service.answer(questions[i]!.question);
  return { elapsed: now() - t };
};

// Cold: the first answer that reaches each generated article, before anything warmed it (the
// process's very first answer, which loads the word lists, is left out: every process pays it once).
await service.answer(seed[0]!);
const cold: number[] = [];
for (let i = 0; i < questions.length; i++) {
  if (questions[i]!.kind !== 'generated') continue;
  await timeFloor(i);
  cold.push((await timeAnswer(i)).elapsed);
}
for (let rep = 0; rep < WARMUP_REPS; rep++) for (let i = 0; i < questions.length; i++) await timeAnswer(i);

const floor: number[][] = questions.map(() => []);
const answer: number[][] = questions.map(() => []);
for (let rep = 0; rep < LATENCY_REPS; rep++) {
  for (let i = 0; i < questions.length; i++) {
    if ((rep + i) % 2 === 0) {
      floor[i]!.push(await timeFloor(i));
      answer[i]!.push((await timeAnswer(i)).elapsed);
    } else {
      answer[i]!.push((await timeAnswer(i)).elapsed);
      floor[i]!.push(await timeFloor(i));
    }
  }
}
const pick = (kind: Kind | 'all') => {
  const rows = questions.map((_, i) => i).filter((i) => kind === 'all' || questions[i]!.kind === kind);
  const f = summarize(rows.flatMap((i) => floor[i]!));
  const a = summarize(rows.flatMap((i) => answer[i]!));
  return {
    questions: rows.length,
    floor: { p50: round(f.p50), p95: round(f.p95) },
    answer: { p50: round(a.p50), p95: round(a.p95) },
    ratio: round(a.p50 / f.p50),
    overheadMs: round(a.p50 - f.p50),
  };
};
const after = process.memoryUsage();
emit({
  startup,
  latency: { all: pick('all'), seed: pick('seed'), generated: pick('generated'), unmatched: pick('unmatched') },
  cold: { questions: cold.length, p50: round(median(cold)), max: round(Math.max(...cold)) },
  rssAfterBytes: after.rss,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
});
process.exit(0);
