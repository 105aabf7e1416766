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
