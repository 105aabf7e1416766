import { randomBytes } from 'node:crypto';
import { access, link, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { buildArticleIndex, type IndexEvent } from '../core/article-index.js';
import type { Embedder } from '../core/types.js';
import { IngestRefusal } from './errors.js';
import type { FetchLimits } from './fetch-page.js';
import { ingestArticle, type IngestedArticle } from './ingest.js';

/**
 * Adding an article to the library: the file in the articles folder, then its embeddings in its
 * own store folder. Every refusal happens before anything is written.
 */

/**
 * Writes `<dir>/<id>.md` so that the folder never holds a half-written article: the text goes to
 * a hidden temporary file in the same folder (same file system, so the rename is atomic), is
 * flushed to disk, then renamed into place; on any failure the temporary file is removed. Without
 * `force`, an existing article is never replaced, even one created meanwhile (a hard link fails
 * if the name exists).
 * @throws IngestRefusal when the article exists and `force` is not set.
 */
export async function saveArticleFile(dir: string, id: string, markdown: string, force: boolean): Promise<string> {
  const target = path.join(dir, `${id}.md`);
  if (!force && (await exists(target))) throw alreadyExists(id, target);
  await mkdir(dir, { recursive: true });
  const temporary = path.join(dir, `.${id}.md.${randomBytes(6).toString('hex')}.partial`);
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(markdown, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (force) {
      await rename(temporary, target);
    } else {
      try {
        await link(temporary, target);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw alreadyExists(id, target);
        // File systems without hard links: the existence check above is the guard.
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
        await rename(temporary, target);
      }
    }
  } finally {
    await rm(temporary, { force: true });
  }
  return target;
}

function alreadyExists(id: string, target: string): IngestRefusal {
  return new IngestRefusal('exists', `An article with the id ${id} already exists (${target}); add --force to replace it.`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

export interface AddArticleOptions {
  readonly articlesDir: string;
  /** Each article's vectors go to `<embeddingsDir>/<id>/`. */
  readonly embeddingsDir: string;
  readonly limits: FetchLimits;
  /** Replace an article with the same id. */
  readonly force?: boolean | undefined;
  /**
   * Called once the file is written, so that a refused article never costs a model load. Returns
   * no embedder, with the reason, when the model is unavailable.
   */
  readonly loadEmbedder: () => Promise<{ readonly embedder: Embedder | undefined; readonly reason: string | undefined }>;
  readonly onIndexEvent?: ((event: IndexEvent) => void) | undefined;
  /** Resolves relative file paths; the process's working folder by default. */
  readonly cwd?: string | undefined;
}

export type EmbeddingsOutcome =
  | { readonly status: 'built'; readonly dir: string }
  /** The model is unavailable (or embedding failed): the next start builds them. */
  | { readonly status: 'deferred'; readonly reason: string };

export interface AddedArticle extends IngestedArticle {
  /** The article file written. */
  readonly file: string;
  /** True when an existing article with this id was replaced (`force`). */
  readonly replaced: boolean;
  readonly embeddings: EmbeddingsOutcome;
}

/**
 * Reads an article from an address or file, writes it to the articles folder and builds its
 * embeddings. The article is kept when only the embeddings fail: they are rebuilt at the next
 * start, so the result says so instead of failing.
 * @throws IngestRefusal (nothing changed) when the source is not an article or the id is taken.
 */
export async function addArticle(source: string, options: AddArticleOptions): Promise<AddedArticle> {
  const ingested = await ingestArticle(source, options.limits, options.cwd);
  const force = options.force === true;
  const replaced = force && (await exists(path.join(options.articlesDir, `${ingested.id}.md`)));
  const file = await saveArticleFile(options.articlesDir, ingested.id, ingested.markdown, force);
  const storeDir = path.join(options.embeddingsDir, ingested.id);
  let embeddings: EmbeddingsOutcome;
  try {
    const { embedder, reason } = await options.loadEmbedder();
    if (embedder) {
      await buildArticleIndex({ article: ingested.article, embedder, storeDir, onEvent: options.onIndexEvent });
      embeddings = { status: 'built', dir: storeDir };
    } else {
      embeddings = { status: 'deferred', reason: reason ?? 'the embedding model is unavailable' };
    }
  } catch (error) {
    embeddings = { status: 'deferred', reason: (error as Error).message };
  }
  return { ...ingested, file, replaced, embeddings };
}
