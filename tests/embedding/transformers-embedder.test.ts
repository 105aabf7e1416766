import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ProgressInfo } from '@huggingface/transformers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerService } from '../../src/app.js';
import { createTransformersEmbedder, ModelUnavailableError } from '../../src/embedding/transformers-embedder.js';
import { startFakeHub } from '../support/fake-hub.js';
import { memoryLogger, tempDir, testConfig, testModelEnv } from '../support/service.js';

let modelDir: string;
const HUB_ID = 'test-org/bag-of-words-bert';
const settings = { dtype: 'fp32', pooling: 'mean', queryPrefix: '', timeoutMs: 30_000 } as const;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  modelDir = (await testModelEnv()).EMBEDDING_MODEL!;
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('the transformers.js embedder', () => {
  it('loads a local model folder and returns one unit vector per text, of the model dimension', async () => {
    const embedder = await createTransformersEmbedder({ ...settings, model: modelDir, cacheDir: await tempDir() });
    const hidden = JSON.parse(await readFile(path.join(modelDir, 'config.json'), 'utf8')).hidden_size;
    expect(embedder.fingerprint).toMatchObject({ model: `local:${path.basename(modelDir)}`, dimension: hidden, pooling: 'mean' });
    const vectors = await embedder.embedDocuments(['Germany seized refineries.', 'Taiwan weapons.', 'HIMARS artillery.']);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(hidden);
      expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    }
  });

  it('downloads through the hub with progress, then loads from the cache once the hub is gone', async () => {
    const hub = await startFakeHub({ models: { [HUB_ID]: modelDir } });
    const cacheDir = await tempDir();
    const progress: ProgressInfo[] = [];
    const downloaded = await createTransformersEmbedder({
      ...settings,
      model: HUB_ID,
      cacheDir,
      remoteHost: hub.url,
      onProgress: (info) => progress.push(info),
    });
    expect(hub.requests.some((r) => r.includes('onnx/model.onnx'))).toBe(true);
    const bytes = progress.filter((p): p is Extract<ProgressInfo, { status: 'progress' }> => p.status === 'progress' && 'file' in p);
    expect(bytes.some((p) => p.file.endsWith('model.onnx') && p.total > 0 && p.loaded === p.total)).toBe(true);
    await hub.close();

    const requestsBefore = hub.requests.length;
    const cached = await createTransformersEmbedder({ ...settings, model: HUB_ID, cacheDir, remoteHost: hub.url });
    expect(hub.requests.length).toBe(requestsBefore);
    const [a] = await downloaded.embedQueries(['Which refineries did Germany seize?']);
    const [b] = await cached.embedQueries(['Which refineries did Germany seize?']);
    expect(Array.from(b!)).toEqual(Array.from(a!));
  });

  it('fails fast with an actionable message when the hub is unreachable', async () => {
    const hub = await startFakeHub({ models: {} });
    await hub.close();
    const attempt = createTransformersEmbedder({ ...settings, model: HUB_ID, cacheDir: await tempDir(), remoteHost: hub.url });
    await expect(attempt).rejects.toBeInstanceOf(ModelUnavailableError);
    await expect(attempt).rejects.toThrow(/Could not download the embedding model "test-org\/bag-of-words-bert".*EMBEDDING_MODEL=\/path\/to\/local\/model/);
  });

  it('gives up on a stalled download after the timeout instead of hanging', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const stalled = http.createServer(() => {
      /* never answers */
    });
    stalled.on('connection', (s) => sockets.add(s));
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => stalled.close(resolve));
    });
    const url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/`;
    await expect(
      createTransformersEmbedder({ ...settings, timeoutMs: 1_000, model: HUB_ID, cacheDir: await tempDir(), remoteHost: url }),
    ).rejects.toThrow(/timed out after 1 s/);
  });

  it('names the folder and the files it needs when a local folder is not a model', async () => {
    const empty = await tempDir();
    await expect(createTransformersEmbedder({ ...settings, model: empty, cacheDir: await tempDir() })).rejects.toThrow(
      new RegExp(`from the folder ${empty}.*config\\.json, tokenizer\\.json`),
    );
  });
});

describe('the answer service without a model', () => {
  it('says why in one line and answers lexically, marked as such', async () => {
    const hub = await startFakeHub({ models: {} });
    await hub.close();
    const logger = memoryLogger();
    const config = await testConfig({ EMBEDDING_MODEL: HUB_ID, MODEL_REMOTE_HOST: hub.url });
    const service = await createAnswerService(config, { logger });
    expect(service.mode).toBe('lexical');
    expect(service.degradedReason).toMatch(/Could not download the embedding model/);
    const warnings = logger.lines.filter((l) => l.includes('WARN'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Answering with lexical search only\.$/);
    const result = await service.answer('What happened to the refineries owned by Rosneft?');
    expect(result).toMatchObject({ kind: 'answer', mode: 'lexical' });
    expect(result.citations[0]!.passage).toBe(15);
  });
});
