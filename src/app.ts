import { readFile } from 'node:fs/promises';
import { parseArticle } from './core/article.js';
import { buildArticleIndex, type IndexEvent } from './core/article-index.js';
import { createAnswerer, type AnswerTrace } from './core/answer.js';
import { withQueryBatching } from './core/batching.js';
import type { AnswerService } from './core/service.js';
import type { Article, Embedder } from './core/types.js';
import type { Config } from './config.js';
import { createTransformersEmbedder, ModelUnavailableError } from './embedding/transformers-embedder.js';
import type { Logger } from './log.js';
import type { ProgressInfo } from '@huggingface/transformers';

/**
 * The composition root: reads the article, loads the model once, builds or loads the index and
 * returns the service every adapter uses.
 */

/** Start-up cannot go on; `message` is one line saying what to fix. */
export class StartupError extends Error {
  override name = 'StartupError';
}

export interface CreateServiceOptions {
  readonly logger: Logger;
  readonly onDownloadProgress?: ((info: ProgressInfo) => void) | undefined;
  readonly onIndexEvent?: ((event: IndexEvent) => void) | undefined;
  /**
   * An embedder already loaded (the evaluation reuses one model for many articles), or null for
   * lexical search only; omitted, the model named in the config is loaded.
   */
  readonly embedder?: Embedder | null | undefined;
  /** Receives how each question was decided (the evaluation's diagnostics). */
  readonly onAnswerTrace?: ((trace: AnswerTrace) => void) | undefined;
}

/** @throws StartupError when the article is missing, empty or has no content. */
export async function loadArticle(articlePath: string): Promise<Article> {
  let raw: string;
  try {
    raw = await readFile(articlePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? (error as Error).message);
    throw new StartupError(`Cannot read the article at ${articlePath} (${why}). Set ARTICLE_PATH to a text or markdown file.`);
  }
  if (raw.trim() === '') throw new StartupError(`The article at ${articlePath} is empty. Set ARTICLE_PATH to a text or markdown file with content.`);
  try {
    return parseArticle(raw);
  } catch (error) {
    throw new StartupError(`The article at ${articlePath} could not be read as an article: ${(error as Error).message}.`);
  }
}

/**
 * Loads the embedding model, or returns undefined (lexical mode) with the reason logged when it
 * cannot be obtained.
 */
export async function loadEmbedder(config: Config, options: CreateServiceOptions): Promise<{ embedder: Embedder | undefined; reason: string | undefined }> {
  const started = performance.now();
  try {
    const embedder = await createTransformersEmbedder({
      ...config.embedding,
      timeoutMs: config.embedding.loadTimeoutMs,
      onProgress: options.onDownloadProgress,
    });
    options.logger.info('Embedding model ready', {
      model: embedder.fingerprint.model,
      dtype: embedder.fingerprint.dtype,
      pooling: embedder.fingerprint.pooling,
      dimension: embedder.fingerprint.dimension,
      seconds: ((performance.now() - started) / 1000).toFixed(1),
    });
    return { embedder, reason: undefined };
  } catch (error) {
    if (!(error instanceof ModelUnavailableError)) throw error;
    options.logger.warn(`${error.message} Answering with lexical search only.`);
    return { embedder: undefined, reason: error.message };
  }
}

export async function createAnswerService(config: Config, options: CreateServiceOptions): Promise<AnswerService> {
  const article = await loadArticle(config.articlePath);
  options.logger.info('Article loaded', { headline: article.headline, passages: article.passages.length });
  const { embedder, reason } =
    options.embedder !== undefined ? { embedder: options.embedder ?? undefined, reason: options.embedder ? undefined : 'lexical search requested' } : await loadEmbedder(config, options);
  const batched = embedder ? withQueryBatching(embedder) : undefined;
  const index = await buildArticleIndex({
    article,
    embedder: batched,
    storeDir: config.embeddingsDir,
    onEvent: options.onIndexEvent,
  });
  const answer = createAnswerer({ index, embedder: batched, topK: config.topK, onTrace: options.onAnswerTrace });
  return {
    article,
    mode: batched ? 'hybrid' : 'lexical',
    degradedReason: reason,
    answer,
  };
}
