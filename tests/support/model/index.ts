/**
 * Generated embedding models for tests and benchmarks, cached under `.cache/` (git-ignored).
 *
 * A model lives in `<cache>/<key>/` where the key hashes the generator version, the generator's
 * source, the shape/seed/mode options, the vocabulary and the set of zeroed tokens: changing any
 * of them produces a new folder, and identical requests reuse the folder. Generation writes into a
 * private temporary folder which is then renamed into place, so concurrent vitest workers (or
 * processes) are safe: whoever renames first wins and the others discard their copy.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { STOP_WORDS } from '../../../src/core/stopwords.js';
import { GENERATOR_VERSION, generateBertModel, type BertModelOptions } from './generate.js';

export { generateBertModel, GENERATOR_VERSION, type BertModelOptions } from './generate.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Repository root (tests/support/model → ../../..). */
export const REPO_ROOT = path.resolve(HERE, '..', '..', '..');
export const VOCAB_FILE = path.join(REPO_ROOT, 'tests', 'fixtures', 'bert-base-uncased-vocab.txt');
export const TEST_MODELS_DIR = path.join(REPO_ROOT, '.cache', 'test-models');
export const BENCH_MODELS_DIR = path.join(REPO_ROOT, '.cache', 'bench-model');

/** Shape of the bag-of-words model used by tests (fp32 only). */
export const TEST_MODEL_CONFIG = {
  hiddenSize: 96,
  numLayers: 2,
  numHeads: 2,
  intermediateSize: 128,
  maxPositions: 512,
  seed: 20240611,
  mode: 'bag-of-words',
  quantized: false,
} as const satisfies Omit<BertModelOptions, 'vocab' | 'zeroToken'>;

/** Shape of the benchmark model: the default embedding model's shape (all-MiniLM-L6-v2-like), random weights. */
export const BENCH_MODEL_CONFIG = {
  hiddenSize: 384,
  numLayers: 6,
  numHeads: 12,
  intermediateSize: 1536,
  maxPositions: 512,
  seed: 1234,
  mode: 'random',
  quantized: true,
} as const satisfies Omit<BertModelOptions, 'vocab' | 'zeroToken'>;

let vocabCache: string[] | undefined;

/** The real BERT uncased vocabulary (30522 tokens) from tests/fixtures. */
export function loadVocab(): string[] {
  if (!vocabCache) {
    const lines = readFileSync(VOCAB_FILE, 'utf8').split(/\r?\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    vocabCache = lines;
  }
  return [...vocabCache];
}

/** The test model's zeroToken: stop words (the same list BM25 and abstention use). */
export const isStopWordToken = (token: string): boolean => STOP_WORDS.has(token);

export function testModelOptions(): BertModelOptions {
  return { ...TEST_MODEL_CONFIG, vocab: loadVocab(), zeroToken: isStopWordToken };
}

export function benchModelOptions(): BertModelOptions {
  return { ...BENCH_MODEL_CONFIG, vocab: loadVocab() };
}

const GENERATOR_SOURCES = ['generate.ts', 'onnx-writer.ts'];

/** Cache key: generator version + source, options, vocabulary and the zeroed token ids. */
export function modelCacheKey(options: BertModelOptions): string {
  const hash = createHash('sha256');
  hash.update(`v${GENERATOR_VERSION}\n`);
  for (const file of GENERATOR_SOURCES) {
    const source = path.join(HERE, file);
    if (existsSync(source)) hash.update(readFileSync(source));
  }
  const { vocab, zeroToken, ...rest } = options;
  const shape = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
  hash.update(JSON.stringify(shape));
  hash.update(`\n${vocab.join('\n')}\n`);
  if (zeroToken) {
    const zeroed: number[] = [];
    vocab.forEach((token, id) => {
      if (zeroToken(token)) zeroed.push(id);
    });
    hash.update(`zero:${zeroed.join(',')}`);
  }
  return `${options.mode}-h${options.hiddenSize}-l${options.numLayers}-${hash.digest('hex').slice(0, 16)}`;
}

const inFlight = new Map<string, Promise<string>>();

function isComplete(dir: string, options: BertModelOptions): boolean {
  const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
  if (options.quantized) files.push('onnx/model_quantized.onnx');
  return files.every((f) => existsSync(path.join(dir, f)));
}

/**
 * Returns `<root>/<key>/`, generating the model there first if needed. Safe to call concurrently
 * from several processes: each generates into its own temporary folder and renames it into place.
 */
export function ensureGeneratedModel(root: string, options: BertModelOptions): Promise<string> {
  const dir = path.join(root, modelCacheKey(options));
  const pending = inFlight.get(dir);
  if (pending) return pending;
  const promise = (async () => {
    if (isComplete(dir, options)) return dir;
    await mkdir(root, { recursive: true });
    const tmp = path.join(root, `.tmp-${path.basename(dir)}-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await generateBertModel(tmp, options);
      try {
        await rename(tmp, dir);
      } catch (error) {
        // Another worker renamed its copy first (ENOTEMPTY/EEXIST/EPERM): use theirs.
        if (!isComplete(dir, options)) throw error;
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return dir;
  })();
  inFlight.set(dir, promise);
  promise.catch(() => inFlight.delete(dir));
  return promise;
}

/** The small bag-of-words test model (hidden 96, 2 layers, fp32): path of its folder. */
export function ensureTestModel(): Promise<string> {
  return ensureGeneratedModel(TEST_MODELS_DIR, testModelOptions());
}

/** The default-model-shaped random model (30522/384/6/12/1536/512) with fp32 and q8 files. */
export function ensureBenchModel(): Promise<string> {
  return ensureGeneratedModel(BENCH_MODELS_DIR, benchModelOptions());
}
