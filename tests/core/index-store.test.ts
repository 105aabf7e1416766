import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadArticle } from '../../src/app.js';
import { buildArticleIndex, type IndexEvent } from '../../src/core/article-index.js';
import { parseArticle } from '../../src/core/article.js';
import type { Article, Embedder } from '../../src/core/types.js';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { DEFAULT_ARTICLE_PATH } from '../../src/config.js';
import { tempDir, testModelEnv } from '../support/service.js';

let article: Article;
let meanEmbedder: Embedder;
let clsEmbedder: Embedder;

beforeAll(async () => {
  const env = await testModelEnv();
  article = await loadArticle(DEFAULT_ARTICLE_PATH);
  const common = { model: env.EMBEDDING_MODEL!, dtype: 'fp32', queryPrefix: '', cacheDir: await tempDir(), timeoutMs: 60_000 };
  meanEmbedder = await createTransformersEmbedder({ ...common, pooling: 'mean' });
  clsEmbedder = await createTransformersEmbedder({ ...common, pooling: 'cls' });
});

/** Builds the index into `dir`, returning the events it reported. */
async function build(dir: string, embedder: Embedder, forArticle = article) {
  const events: IndexEvent[] = [];
  const index = await buildArticleIndex({ article: forArticle, embedder, storeDir: dir, onEvent: (e) => events.push(e) });
  return { index, events, kinds: events.map((e) => e.type).filter((t) => t !== 'progress') };
}

describe('stored passage vectors', () => {
  it('are built with progress when missing, then loaded on the next start with identical vectors', async () => {
    const dir = await tempDir();
    const first = await build(dir, meanEmbedder);
    expect(first.kinds).toEqual(['rebuilding', 'saved']);
    expect(first.events.find((e) => e.type === 'rebuilding')).toMatchObject({ reason: expect.stringContaining('no manifest.json') });
    const progress = first.events.filter((e) => e.type === 'progress');
    expect(progress.at(-1)).toMatchObject({ done: expect.any(Number) });
    expect((progress.at(-1) as { done: number; total: number }).done).toBe((progress.at(-1) as { total: number }).total);

    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      articleHash: article.contentHash,
      model: meanEmbedder.fingerprint.model,
      dtype: 'fp32',
      pooling: 'mean',
      queryPrefix: '',
      dimension: meanEmbedder.fingerprint.dimension,
      passageCount: article.passages.length,
    });

    const second = await build(dir, meanEmbedder);
    expect(second.kinds).toEqual(['loaded']);
    expect(Array.from(second.index.dense!.passages.data)).toEqual(Array.from(first.index.dense!.passages.data));
  });

  it('are rebuilt when the model settings change', async () => {
    const dir = await tempDir();
    await build(dir, meanEmbedder);
    const other = await build(dir, clsEmbedder);
    expect(other.kinds).toEqual(['rebuilding', 'saved']);
    expect(other.events[0]).toMatchObject({ reason: expect.stringContaining('pooling') });
    expect(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')).pooling).toBe('cls');
  });

  it('are rebuilt when the article changes', async () => {
    const dir = await tempDir();
    await build(dir, meanEmbedder);
    const edited = parseArticle(`Edited headline\n\nA new first paragraph about tariffs.\n\n${article.passages.map((p) => p.text).join('\n\n')}`);
    const rebuilt = await build(dir, meanEmbedder, edited);
    expect(rebuilt.kinds).toEqual(['rebuilding', 'saved']);
    expect(rebuilt.events[0]).toMatchObject({ reason: expect.stringContaining('article') });
    expect(rebuilt.index.dense!.passages.rows).toBe(article.passages.length + 1);
  });

  it.each([
    ['a truncated vector file', async (dir: string) => writeFile(path.join(dir, 'vectors.f32'), Buffer.alloc(100)), 'bytes'],
    ['a vector file with flipped bytes', async (dir: string) => {
      const file = path.join(dir, 'vectors.f32');
      const bytes = await readFile(file);
      bytes[10] = bytes[10]! ^ 0xff;
      await writeFile(file, bytes);
    }, 'checksum'],
    ['an unreadable manifest', async (dir: string) => writeFile(path.join(dir, 'manifest.json'), '{ not json'), 'not a valid manifest'],
  ] as const)('are rebuilt from %s, and answers use correct vectors again', async (_, corrupt, reason) => {
    const dir = await tempDir();
    const original = await build(dir, meanEmbedder);
    await corrupt(dir);
    const rebuilt = await build(dir, meanEmbedder);
    expect(rebuilt.kinds).toEqual(['rebuilding', 'saved']);
    expect(rebuilt.events[0]).toMatchObject({ reason: expect.stringContaining(reason) });
    expect(Array.from(rebuilt.index.dense!.passages.data)).toEqual(Array.from(original.index.dense!.passages.data));
    expect((await build(dir, meanEmbedder)).kinds).toEqual(['loaded']);
  });
});

describe('the off-topic spread and the passages’ terms, stored with the vectors', () => {
  it('keeps how the off-topic probes score in the manifest, and loads the same spread', async () => {
    const dir = await tempDir();
    const first = await build(dir, meanEmbedder);
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.offTopic).toEqual(first.index.dense!.offTopic);
    expect(manifest.offTopic.max).toBeGreaterThanOrEqual(manifest.offTopic.mean);
    const second = await build(dir, meanEmbedder);
    expect(second.kinds).toEqual(['loaded']);
    expect(second.index.dense!.offTopic).toEqual(first.index.dense!.offTopic);
  });

  it('rebuilds a store of the first format (probe vectors in the file, no spread in the manifest)', async () => {
    const dir = await tempDir();
    await build(dir, meanEmbedder);
    const manifestFile = path.join(dir, 'manifest.json');
    const { offTopic: _spread, ...v1 } = JSON.parse(await readFile(manifestFile, 'utf8'));
    await writeFile(manifestFile, JSON.stringify({ ...v1, formatVersion: 1 }));
    const rebuilt = await build(dir, meanEmbedder);
    expect(rebuilt.kinds).toEqual(['rebuilding', 'saved']);
    expect(rebuilt.events[0]).toMatchObject({ reason: expect.stringContaining('format version') });
  });

  it('stores each passage’s terms and reads them back instead of analysing the passages again', async () => {
    const dir = await tempDir();
    const first = await build(dir, meanEmbedder);
    const termsFile = path.join(dir, 'terms.json');
    const stored = JSON.parse(await readFile(termsFile, 'utf8'));
    expect(stored.passages).toHaveLength(article.passages.length);
    expect(stored.passages.map((p: string) => p.split(' '))).toEqual(first.index.passageTerms.map((t) => [...t]));
    // Terms written by this very analysis are used as they are (so the marker shows up)…
    await writeFile(termsFile, JSON.stringify({ ...stored, passages: stored.passages.map((p: string, i: number) => (i === 0 ? `${p} storedmarker` : p)) }));
    expect((await build(dir, meanEmbedder)).index.passageTerms[0]).toContain('storedmarker');
    expect((await build(dir, meanEmbedder)).index.lexicalPassages.has('storedmarker')).toBe(true);
  });

  it.each([
    ['made by another version of the analysis', (stored: Record<string, unknown>) => JSON.stringify({ ...stored, analyzer: 'another' })],
    ['for another version of the article', (stored: Record<string, unknown>) => JSON.stringify({ ...stored, articleHash: 'another' })],
    ['that are not JSON', () => '{ "passages": ['],
  ])('works the terms out again when the stored ones are %s', async (_, spoil) => {
    const dir = await tempDir();
    const first = await build(dir, meanEmbedder);
    const termsFile = path.join(dir, 'terms.json');
    const stored = JSON.parse(await readFile(termsFile, 'utf8'));
    await writeFile(termsFile, spoil({ ...stored, passages: stored.passages.map((p: string) => `${p} storedmarker`) }));
    const again = await build(dir, meanEmbedder);
    expect(again.index.passageTerms).toEqual(first.index.passageTerms);
    // …and stores them again for the next start.
    expect(JSON.parse(await readFile(termsFile, 'utf8')).passages).toEqual(stored.passages);
  });
});
