/**
 * Child process: everything measured inside one running service, for one dtype (from the
 * environment, like every other setting). Prints one JSON line.
 *
 * 1. floor — the bare forward pass of each question through onnxruntime-node, pre-tokenized, on
 *    the very session transformers.js created for the service (same file, same options; captured
 *    at `InferenceSession.create`). Floor and answer calls alternate question by question, so both
 *    see the same machine state; a second, independent session with the same options is measured
 *    in blocks as a cross-check.
 * 2. answer latency — `service.answer` (embed, hybrid search, sentence answer).
 * 3. throughput at 1, 4 and 16 concurrent questions (closed loop), the forward passes it took, and
 *    the ceiling batching can reach on this CPU (raw onnxruntime, one batch of 16 vs 16 singles).
 * 4. index build — `buildArticleIndex` without a store (passages, sentences, probes).
 */
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AutoTokenizer, env, pipeline } from '@huggingface/transformers';
import { createAnswerService, loadArticle } from '../../src/app.js';
import { DEFAULT_ARTICLE_PATH, parseConfig } from '../../src/config.js';
import { buildArticleIndex } from '../../src/core/article-index.js';
import { withQueryBatching } from '../../src/core/batching.js';
import { detectArticleIntent } from '../../src/core/intents.js';
import { OFF_TOPIC_PROBES } from '../../src/core/probes.js';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { createLogger } from '../../src/log.js';
import { emit } from '../lib/child.js';
import { batchSize, captureSessions, createSession, describeOptions, toFeeds, type Feeds } from '../lib/ort.js';
import { BENCH_QUESTIONS } from '../lib/questions.js';
import { median, round, summarize } from '../lib/stats.js';

const LATENCY_REPS = Number(process.env.BENCH_LATENCY_REPS ?? 40);
const WARMUP_REPS = 10;
const THROUGHPUT_QUESTIONS = Number(process.env.BENCH_THROUGHPUT_QUESTIONS ?? 128);
const THROUGHPUT_REPS = 6;
const CONCURRENCY = [1, 4, 16] as const;
const INDEX_REPS = 3;

const now = () => performance.now();
const questions = BENCH_QUESTIONS;
for (const q of questions) {
  if (detectArticleIntent(q)) throw new Error(`"${q}" is answered from metadata, without a forward pass`);
}

// ── the service, exactly as the composition root builds it ──
const capture = captureSessions();
const config = parseConfig(process.env);
const service = await createAnswerService(config, { logger: createLogger('warn') });
capture.restore();
if (service.mode !== 'hybrid') throw new Error(`the service runs in ${service.mode} mode: ${service.degradedReason}`);
// The model's session is the one made from a file; the service also makes a small one from bytes
// (the matrix product that scores a library's passages).
const modelSessions = capture.sessions.filter((s) => s.source !== '<buffer>');
const served = modelSessions[0];
if (!served || modelSessions.length !== 1) throw new Error(`expected one model session, saw ${modelSessions.length}`);
const session = served.session;

// The same tokenizer the pipeline uses, with the pipeline's call options.
env.allowLocalModels = true;
env.allowRemoteModels = false;
env.localModelPath = path.dirname(path.resolve(config.embedding.model)) + path.sep;
const tokenizer = await AutoTokenizer.from_pretrained(path.basename(path.resolve(config.embedding.model)));
const prefix = config.embedding.queryPrefix ?? '';
const encode = (texts: readonly string[]) =>
  tokenizer([...texts], { padding: true, truncation: true }) as unknown as Record<string, { type: string; data: unknown; dims: number[] }>;
const feedsOf = (texts: readonly string[], on = session): Feeds => toFeeds(on, encode(texts));
const singleFeeds = questions.map((q) => feedsOf([prefix + q]));
const tokens = singleFeeds.map((f) => f['input_ids']!.dims[1]!);

// ── 1 + 2: floor and answer latency, interleaved per question ──
const floorSamples: number[][] = questions.map(() => []);
const answerSamples: number[][] = questions.map(() => []);
const kinds = new Map<string, number>();
const timeFloor = async (i: number) => {
  const t = now();
  await session.run(singleFeeds[i]!);
  return now() - t;
};
const timeAnswer = async (i: number) => {
  const t = now();
  const result = await service.answer(questions[i]!);
  const elapsed = now() - t;
  kinds.set(`${result.kind}/${result.basis}`, (kinds.get(`${result.kind}/${result.basis}`) ?? 0) + 1);
  return elapsed;
};
// Warm up (JIT) both paths before measuring.
for (let rep = 0; rep < WARMUP_REPS; rep++) {
  for (let i = 0; i < questions.length; i++) {
    await timeFloor(i);
    await timeAnswer(i);
  }
}
kinds.clear();
for (let rep = 0; rep < LATENCY_REPS; rep++) {
  for (let i = 0; i < questions.length; i++) {
    // Alternate which goes first, so neither always runs on the other's warm caches.
    if ((rep + i) % 2 === 0) {
      floorSamples[i]!.push(await timeFloor(i));
      answerSamples[i]!.push(await timeAnswer(i));
    } else {
      answerSamples[i]!.push(await timeAnswer(i));
      floorSamples[i]!.push(await timeFloor(i));
    }
  }
}
const floorAll = floorSamples.flat();
const answerAll = answerSamples.flat();
const perQuestion = questions.map((q, i) => ({
  question: q,
  tokens: tokens[i]!,
  floorMs: round(median(floorSamples[i]!)),
  answerMs: round(median(answerSamples[i]!)),
}));
const pairedRatios = floorAll.map((f, k) => answerAll[k]! / f);

// Cross-check: an independent session created with the captured options, measured in blocks
// (two sessions' thread pools interfere when interleaved call by call).
const independent = await createSession(served);
const independentFeeds = questions.map((q) => feedsOf([prefix + q], independent));
const blockFloor: { independent: number[]; served: number[] } = { independent: [], served: [] };
for (let round_ = 0; round_ < 3; round_++) {
  for (const [name, s, feeds] of [
    ['independent', independent, independentFeeds],
    ['served', session, singleFeeds],
  ] as const) {
    for (const f of feeds) await s.run(f);
    for (let rep = 0; rep < 3; rep++) {
      for (const f of feeds) {
        const t = now();
        await s.run(f);
        blockFloor[name].push(now() - t);
      }
    }
  }
}
await independent.release();

// Is session.run off the main thread? Watch the event loop while passes run back to back.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const loopStarted = now();
for (let rep = 0; rep < 3; rep++) for (const f of singleFeeds) await session.run(f);
const loopElapsed = now() - loopStarted;
loopDelay.disable();

// ── 3: throughput ──
let passes = 0;
let rows = 0;
const originalRun = session.run as (...args: unknown[]) => ReturnType<typeof session.run>;
const countingRun = (feeds: Feeds, ...rest: unknown[]) => {
  passes++;
  rows += batchSize(feeds);
  return originalRun.call(session, feeds, ...rest);
};
async function closedLoop(concurrency: number, total: number) {
  let next = 0;
  passes = 0;
  rows = 0;
  Object.defineProperty(session, 'run', { value: countingRun, configurable: true, writable: true });
  const started = now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await service.answer(questions[next++ % questions.length]!);
    }),
  );
  const elapsed = now() - started;
  delete (session as unknown as Record<string, unknown>)['run'];
  return { qps: (total * 1000) / elapsed, passes, rows };
}
await closedLoop(16, 48);
const throughputRuns = new Map<number, { qps: number; passes: number; rows: number }[]>(CONCURRENCY.map((c) => [c, []]));
for (let rep = 0; rep < THROUGHPUT_REPS; rep++) {
  const order = rep % 2 === 0 ? CONCURRENCY : [...CONCURRENCY].reverse();
  for (const c of order) throughputRuns.get(c)!.push(await closedLoop(c, THROUGHPUT_QUESTIONS));
}
// Ratios within one repetition (levels measured back to back), then the median over repetitions:
// robust to the machine's load drifting between repetitions.
const throughput = CONCURRENCY.map((c) => {
  const runs = throughputRuns.get(c)!;
  const ratios = runs.map((r, rep) => r.qps / throughputRuns.get(1)![rep]!.qps);
  const passesTotal = runs.reduce((a, r) => a + r.passes, 0);
  const rowsTotal = runs.reduce((a, r) => a + r.rows, 0);
  return {
    concurrency: c,
    qps: round(median(runs.map((r) => r.qps)), 1),
    ratio: round(median(ratios)),
    forwardPasses: passesTotal,
    meanBatch: round(rowsTotal / passesTotal, 2),
  };
});

// The ceiling: what batching 16 questions can gain on this CPU, straight through onnxruntime.
const sixteen = questions.slice(0, 16);
const sixteenSingles = singleFeeds.slice(0, 16);
const sixteenBatch = feedsOf(sixteen.map((q) => prefix + q));
const byLength = [...questions.keys()].sort((a, b) => tokens[a]! - tokens[b]!);
const typical = questions[byLength[Math.floor(byLength.length / 2)]!]!;
const typicalSingle = feedsOf([prefix + typical]);
const typicalBatch = feedsOf(Array.from({ length: 16 }, () => prefix + typical));
const ceiling = { singles: [] as number[], batch: [] as number[], sameSingles: [] as number[], sameBatch: [] as number[] };
for (let rep = 0; rep < 9; rep++) {
  let t = now();
  for (const f of sixteenSingles) await session.run(f);
  const singles = now() - t;
  t = now();
  await session.run(sixteenBatch);
  const batch = now() - t;
  t = now();
  for (let k = 0; k < 16; k++) await session.run(typicalSingle);
  const sameSingles = now() - t;
  t = now();
  await session.run(typicalBatch);
  const sameBatch = now() - t;
  if (rep === 0) continue;
  ceiling.singles.push(singles);
  ceiling.batch.push(batch);
  ceiling.sameSingles.push(sameSingles);
  ceiling.sameBatch.push(sameBatch);
}
const ceilingRatio = (singles: number[], batch: number[]) => round(median(singles.map((s, i) => s / batch[i]!)));
const paddedTokens = 16 * sixteenBatch['input_ids']!.dims[1]!;
const realTokens = tokens.slice(0, 16).reduce((a, b) => a + b, 0);

// ── 4: index build (a second embedder, as the service's is busy being measured above) ──
const article = await loadArticle(config.articlePath ?? DEFAULT_ARTICLE_PATH);
const embedder = await createTransformersEmbedder({ ...config.embedding, timeoutMs: config.embedding.loadTimeoutMs });
const batched = withQueryBatching(embedder);
const firstBuild = await buildArticleIndex({ article, embedder: batched });
const buildTimes: number[] = [];
for (let rep = 0; rep < INDEX_REPS; rep++) {
  const t = now();
  await buildArticleIndex({ article, embedder: batched });
  buildTimes.push(now() - t);
}
// The fast paths of the embedder (question encoder, pooling) must change nothing: compare with
// the transformers.js pipeline, bit for bit.
const extractor = await pipeline('feature-extraction', path.basename(path.resolve(config.embedding.model)), {
  dtype: config.embedding.dtype as 'q8',
  device: 'cpu',
});
let identical = 0;
for (const q of questions) {
  const [mine] = await embedder.embedQueries([q]);
  const reference = (await extractor([prefix + q], { pooling: config.embedding.pooling ?? 'cls', normalize: true })).data as Float32Array;
  if (mine!.length === reference.length && mine!.every((v, i) => v === reference[i])) identical++;
}
await extractor.dispose();

// Coalesced questions are padded to the longest one; the attention mask must make that harmless.
const alone = await Promise.all(sixteen.map(async (q) => (await embedder.embedQueries([q]))[0]!));
const together = await embedder.embedQueries(sixteen);
const batchedCosines = alone.map((a, i) => a.reduce((sum, v, k) => sum + v * together[i]![k]!, 0));

const uniqueTexts = new Set([...article.passages.map((p) => p.text), ...firstBuild.sentences.map((s) => s.text)]).size;

const floorSummary = summarize(floorAll);
const answerSummary = summarize(answerAll);
emit({
  dtype: config.embedding.dtype,
  model: served.source,
  sessionOptions: describeOptions(served.options),
  questions: questions.length,
  tokens: { min: Math.min(...tokens), median: median(tokens), max: Math.max(...tokens) },
  resultKinds: Object.fromEntries(kinds),
  floor: mapSummary(floorSummary),
  answer: mapSummary(answerSummary),
  answerOverFloor: round(answerSummary.p50 / floorSummary.p50),
  answerOverFloorPaired: round(median(pairedRatios)),
  overheadMs: round(answerSummary.p50 - floorSummary.p50),
  perQuestion,
  floorCrossCheck: {
    independentSessionMs: round(median(blockFloor.independent)),
    servedSessionMs: round(median(blockFloor.served)),
  },
  eventLoop: {
    passes: 3 * singleFeeds.length,
    meanPassMs: round(loopElapsed / (3 * singleFeeds.length)),
    delayP50Ms: round(loopDelay.percentile(50) / 1e6),
    delayMaxMs: round(loopDelay.max / 1e6),
  },
  throughput,
  ceiling: {
    mixed16: {
      singlesMs: round(median(ceiling.singles)),
      batchMs: round(median(ceiling.batch)),
      ratio: ceilingRatio(ceiling.singles, ceiling.batch),
      paddedTokens,
      realTokens,
    },
    same16: {
      question: typical,
      singlesMs: round(median(ceiling.sameSingles)),
      batchMs: round(median(ceiling.sameBatch)),
      ratio: ceilingRatio(ceiling.sameSingles, ceiling.sameBatch),
    },
  },
  embeddingsIdenticalToPipeline: `${identical}/${questions.length}`,
  batchedVsAloneMinCosine: round(Math.min(...batchedCosines), 6),
  indexBuild: {
    ms: round(median(buildTimes), 1),
    runsMs: buildTimes.map((t) => round(t, 1)),
    passages: article.passages.length,
    sentences: firstBuild.sentences.length,
    uniqueTexts,
    probes: OFF_TOPIC_PROBES.length,
  },
});
process.exit(0);

function mapSummary(s: ReturnType<typeof summarize>) {
  return { n: s.n, p50: round(s.p50), p95: round(s.p95), min: round(s.min), max: round(s.max) };
}
