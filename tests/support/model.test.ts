/**
 * The generated models load and behave as intended through the real transformers.js
 * feature-extraction pipeline: from a local folder, through a loopback hub (then from its cache),
 * and as q8 — with no network and no mocks.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { env, pipeline, type FeatureExtractionPipeline, type ProgressInfo } from '@huggingface/transformers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startFakeHub } from './fake-hub.js';
import { ensureTestModel, generateBertModel, loadVocab, TEST_MODEL_CONFIG, type BertModelOptions } from './model/index.js';

const SENTENCES = [
  'Germany seized the refineries of Rosneft, the Russian oil company, placing them under trusteeship.',
  'The Taiwan Policy Act would speed up weapons sales to Taipei.',
  'Ukraine asked for more HIMARS launchers and artillery ammunition.',
];
const QUESTION = "Which oil company's refineries did Germany seize?";

/** transformers.js `env` is process-global: every test restores what it changes. */
const ENV_KEYS = [
  'allowLocalModels',
  'allowRemoteModels',
  'remoteHost',
  'remotePathTemplate',
  'localModelPath',
  'cacheDir',
  'useFSCache',
] as const;
type EnvSnapshot = Pick<typeof env, (typeof ENV_KEYS)[number]>;
let savedEnv: EnvSnapshot;
beforeEach(() => {
  savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, env[k]])) as EnvSnapshot;
});
afterEach(() => {
  Object.assign(env, savedEnv);
});

const tempDirs: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function embed(extractor: FeatureExtractionPipeline, texts: string[]): Promise<number[][]> {
  const output = await extractor(texts, { pooling: 'mean', normalize: true });
  expect(output.dims).toEqual([texts.length, output.dims[1]]);
  return output.tolist() as number[][];
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);
const cosine = (a: readonly number[], b: readonly number[]): number => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));

function rank(question: number[], passages: number[][]): number[] {
  return passages.map((p, i) => [dot(question, p), i] as const).sort((x, y) => y[0] - x[0]).map(([, i]) => i);
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`])),
  );
  return nested.flat().sort();
}

let modelDir: string;
beforeAll(async () => {
  modelDir = await ensureTestModel();
});

describe('generated bag-of-words model', () => {
  it('loads from a local folder given as an absolute path and ranks by shared content words', async () => {
    env.allowLocalModels = true;
    env.allowRemoteModels = false; // nothing may leave the machine
    const extractor = await pipeline('feature-extraction', modelDir);
    try {
      const [question, ...passages] = await embed(extractor, [QUESTION, ...SENTENCES]);
      expect(passages).toHaveLength(SENTENCES.length);
      for (const v of [question!, ...passages]) {
        expect(v).toHaveLength(TEST_MODEL_CONFIG.hiddenSize);
        expect(Math.hypot(...v)).toBeCloseTo(1, 5);
      }
      const order = rank(question!, passages);
      expect(order[0]).toBe(0);
      // The shared words dominate: the right passage is well clear of the others.
      expect(dot(question!, passages[0]!)).toBeGreaterThan(0.4);
      expect(dot(question!, passages[0]!) - Math.max(dot(question!, passages[1]!), dot(question!, passages[2]!))).toBeGreaterThan(0.25);

      // Stop words and punctuation carry no weight: adding them does not move the vector.
      const [plain, padded] = await embed(extractor, ['refineries germany', 'The refineries, in Germany!']);
      expect(cosine(plain!, padded!)).toBeGreaterThan(0.9999);
    } finally {
      await extractor.dispose();
    }
  });

  it('loads from env.localModelPath with the folder name as the model id', async () => {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = path.dirname(modelDir) + path.sep;
    const extractor = await pipeline('feature-extraction', path.basename(modelDir));
    try {
      const vectors = await embed(extractor, ['HIMARS ammunition', 'artillery']);
      expect(vectors.map((v) => v.length)).toEqual([TEST_MODEL_CONFIG.hiddenSize, TEST_MODEL_CONFIG.hiddenSize]);
    } finally {
      await extractor.dispose();
    }
  });

  it('loads through a loopback hub, then from the cache once the hub is gone', async () => {
    const cacheDir = await tempDir('fake-hub-cache-');
    const hub = await startFakeHub({ models: { 'test-org/bow-model': modelDir } });
    let hubOpen = true;
    try {
      env.allowLocalModels = false;
      env.allowRemoteModels = true;
      env.remoteHost = hub.url;
      env.cacheDir = cacheDir; // used by transformers.js' own file probes, which ignore `cache_dir`

      const progress: ProgressInfo[] = [];
      const first = await pipeline('feature-extraction', 'test-org/bow-model', {
        cache_dir: cacheDir,
        progress_callback: (info: ProgressInfo) => progress.push(info),
      });
      let fromHub: number[][];
      try {
        fromHub = await embed(first, [QUESTION, ...SENTENCES]);
      } finally {
        await first.dispose();
      }
      expect(rank(fromHub[0]!, fromHub.slice(1))[0]).toBe(0);

      const fetched = hub.requests.filter((r) => r.startsWith('GET ') && !r.includes('[Range:')).map((r) => r.slice(4));
      for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) {
        expect(fetched).toContain(`/test-org/bow-model/resolve/main/${file}`);
      }
      const modelSize = (await stat(path.join(modelDir, 'onnx', 'model.onnx'))).size;
      const modelProgress = progress.filter(
        (p): p is Extract<ProgressInfo, { status: 'progress' }> => p.status === 'progress' && p.file === 'onnx/model.onnx',
      );
      expect(modelProgress.length).toBeGreaterThan(0);
      expect(modelProgress.every((p) => p.total === modelSize)).toBe(true);
      expect(await listFiles(path.join(cacheDir, 'test-org', 'bow-model'))).toEqual(
        expect.arrayContaining(['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']),
      );

      await hub.close();
      hubOpen = false;
      const requestsAtClose = hub.requests.length;
      const second = await pipeline('feature-extraction', 'test-org/bow-model', { cache_dir: cacheDir });
      try {
        const fromCache = await embed(second, [QUESTION, ...SENTENCES]);
        fromCache.forEach((v, i) => expect(cosine(v, fromHub[i]!)).toBeGreaterThan(0.99999));
      } finally {
        await second.dispose();
      }
      expect(hub.requests.length).toBe(requestsAtClose);
    } finally {
      if (hubOpen) await hub.close();
    }
  });
});

describe('generator', () => {
  const tinyOptions = (overrides: Partial<BertModelOptions> = {}): BertModelOptions => ({
    // The first 2000 entries hold [PAD] [UNK] [CLS] [SEP] [MASK], punctuation, digits and common words.
    vocab: loadVocab().slice(0, 2000),
    hiddenSize: 16,
    numLayers: 1,
    numHeads: 2,
    intermediateSize: 32,
    maxPositions: 64,
    seed: 7,
    mode: 'bag-of-words',
    zeroToken: (t) => t === 'the',
    quantized: true,
    ...overrides,
  });

  it('is deterministic: the same options give byte-identical files', async () => {
    const [a, b, c] = await Promise.all([tempDir('gen-a-'), tempDir('gen-b-'), tempDir('gen-c-')]);
    await generateBertModel(a, tinyOptions());
    await generateBertModel(b, tinyOptions());
    await generateBertModel(c, tinyOptions({ seed: 8 }));
    const files = await listFiles(a);
    expect(files).toEqual(
      expect.arrayContaining(['config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json']),
    );
    expect(await listFiles(b)).toEqual(files);
    for (const file of files) {
      expect((await readFile(path.join(b, file))).equals(await readFile(path.join(a, file))), file).toBe(true);
    }
    // ...and the seed matters.
    const onnx = 'onnx/model.onnx';
    expect((await readFile(path.join(c, onnx))).equals(await readFile(path.join(a, onnx)))).toBe(false);
  });

  it('writes a q8 model that transformers.js runs with dtype "q8", close to fp32', async () => {
    const dir = await tempDir('gen-q8-');
    await generateBertModel(dir, {
      vocab: loadVocab(),
      hiddenSize: 32,
      numLayers: 2,
      numHeads: 4,
      intermediateSize: 64,
      maxPositions: 128,
      seed: 99,
      mode: 'random',
      quantized: true,
    });
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    const texts = [QUESTION, ...SENTENCES];
    const fp32 = await pipeline('feature-extraction', dir, { dtype: 'fp32' });
    const q8 = await pipeline('feature-extraction', dir, { dtype: 'q8' });
    try {
      const a = await embed(fp32, texts);
      const b = await embed(q8, texts);
      expect(b.map((v) => v.length)).toEqual(texts.map(() => 32));
      a.forEach((v, i) => expect(cosine(v, b[i]!)).toBeGreaterThan(0.95));
      // The two files really differ (the q8 one holds uint8 weights).
      const sizes = await Promise.all(['model.onnx', 'model_quantized.onnx'].map((f) => stat(path.join(dir, 'onnx', f))));
      expect(sizes[1]!.size).toBeLessThan(sizes[0]!.size);
    } finally {
      await Promise.all([fp32.dispose(), q8.dispose()]);
    }
  });
});
