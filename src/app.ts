import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArticle } from './core/article.js';
import { buildArticleIndex, type IndexEvent } from './core/article-index.js';
import type { AnswerTrace } from './core/answer.js';
import { createLibraryAnswerer } from './core/library-answerer.js';
import { withQueryBatching } from './core/batching.js';
import { mapConcurrently } from './core/concurrency.js';
import { loadLexicons } from './core/lexicon/index.js';
import { readWholeFile } from './core/files.js';
import type { AnswerService } from './core/service.js';
import type { Article, Embedder } from './core/types.js';
import type { Config } from './config.js';
import { createOnnxMatrixScorer, warmMatrixScorer } from './embedding/matrix-scorer.js';
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
  /** The clock conversations expire by (default `Date.now`); tests move it instead of waiting. */
  readonly now?: (() => number) | undefined;
}

/** The id of an article file: its name without the extension ("articles/x-2022.txt" → "x-2022"). */
export function articleIdOf(file: string): string {
  return path.basename(file).replace(/\.(?:txt|md|markdown)$/i, '');
}

/**
 * Article or vector files read at once at start-up: enough to keep the disk and the thread pool
 * busy (a thousand articles load about three times faster than one by one on the bench machine),
 * few enough not to approach the open-file limit.
 */
const FILES_IN_FLIGHT = 16;

/** Files an articles folder holds, in name order. */
const ARTICLE_FILE = /\.(?:txt|md|markdown)$/i;

/**
 * The library's articles: `ARTICLE_PATH` alone when set, else every `.txt`/`.md` file in
 * `ARTICLES_DIR`. A file in the folder that is empty or not an article is skipped with a warning,
 * so one bad file does not stop the bot.
 * @throws StartupError when the one article cannot be read, or the folder has no usable article.
 */
export async function loadArticles(config: Config, logger: Logger): Promise<Article[]> {
  return (await openArticles(config, logger)).read();
}

/**
 * Finds the articles (and reads the one of `ARTICLE_PATH`) without reading a folder's files yet:
 * what can be wrong with the setting is reported before the model starts loading.
 */
async function openArticles(config: Config, logger: Logger): Promise<{ read(): Promise<Article[]> }> {
  if (config.articlePath) {
    const article = await loadArticle(config.articlePath);
    return { read: async () => [article] };
  }
  let names: string[];
  try {
    names = (await readdir(config.articlesDir)).filter((n) => ARTICLE_FILE.test(n) && !n.startsWith('.')).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StartupError(`Cannot read the articles folder ${config.articlesDir} (${code === 'ENOENT' ? 'no such folder' : (code ?? (error as Error).message)}). Set ARTICLES_DIR to a folder of .txt or .md articles, or ARTICLE_PATH to one article.`);
  }
  const none = () => new StartupError(`There is no article in ${config.articlesDir}. Add a .txt or .md article there (or run npm run add-article -- <url>), or set ARTICLE_PATH.`);
  if (names.length === 0) throw none();
  return {
    async read() {
      const loaded = await mapConcurrently(names, FILES_IN_FLIGHT, async (name) => {
        try {
          return await loadArticle(path.join(config.articlesDir, name));
        } catch (error) {
          logger.warn(`Skipping ${name}: ${(error as Error).message}`);
          return undefined;
        }
      });
      const articles = loaded.filter((a): a is Article => a !== undefined);
      if (articles.length === 0) throw none();
      return articles;
    },
  };
}

/** @throws StartupError when the article is missing, empty or has no content. */
export async function loadArticle(articlePath: string): Promise<Article> {
  let raw: string;
  try {
    raw = (await readWholeFile(articlePath)).toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? (error as Error).message);
    throw new StartupError(`Cannot read the article at ${articlePath} (${why}). Set ARTICLE_PATH to a text or markdown file.`);
  }
  if (raw.trim() === '') throw new StartupError(`The article at ${articlePath} is empty. Set ARTICLE_PATH to a text or markdown file with content.`);
  try {
    return parseArticle(raw, articleIdOf(articlePath));
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

/** Where one article's vectors are stored: `<EMBEDDINGS_DIR>/<article id>/`. */
export function storeDirOf(config: Config, articleId: string): string {
  return path.join(config.embeddingsDir, articleId);
}

export async function createAnswerService(config: Config, options: CreateServiceOptions): Promise<AnswerService> {
  const found = await openArticles(config, options.logger);
  // The model loads while a library's articles are read: much of its loading is native work off
  // this thread.
  const loading =
    options.embedder !== undefined
      ? Promise.resolve({ embedder: options.embedder ?? undefined, reason: options.embedder ? undefined : 'lexical search requested' })
      : loadEmbedder(config, options);
  // Awaited below in every case; this only keeps a failure from counting as unhandled meanwhile.
  loading.catch(() => undefined);
  const articles = await found.read();
  if (articles.length === 1) options.logger.info('Article loaded', { id: articles[0]!.id, headline: articles[0]!.headline, passages: articles[0]!.passages.length });
  else options.logger.info('Library loaded', { articles: articles.length, passages: articles.reduce((n, a) => n + a.passages.length, 0) });
  const { embedder, reason } = await loading;
  const batched = embedder ? withQueryBatching(embedder) : undefined;
  const indexes = await mapConcurrently(articles, FILES_IN_FLIGHT, (article) =>
    buildArticleIndex({ article, embedder: batched, storeDir: storeDirOf(config, article.id), onEvent: options.onIndexEvent }),
  );
  // For routing over a library (also one that grows from a single article while it runs, which
  // then pays for the scorer's session on its first large routing).
  const matrixScorer = embedder ? createOnnxMatrixScorer() : undefined;
  if (matrixScorer && articles.length > 1) await warmMatrixScorer(matrixScorer);
  // The word lists load right after ready (the immediate does not keep a finished command alive).
  setImmediate(loadLexicons).unref();
  const answerer = createLibraryAnswerer({
    indexes,
    embedder: batched,
    topK: config.topK,
    onTrace: options.onAnswerTrace,
    matrixScorer,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    get library() {
      return answerer.library;
    },
    mode: answerer.mode,
    degradedReason: reason,
    answer: (question, askOptions) => answerer.answer(question, askOptions),
    async addArticle(article) {
      answerer.add(await buildArticleIndex({ article, embedder: batched, storeDir: storeDirOf(config, article.id), onEvent: options.onIndexEvent }));
      options.logger.info('Article added', { id: article.id, headline: article.headline, passages: article.passages.length });
    },
  };
}
