import { buildArticleIndex } from '../core/article-index.js';
import { loadArticles, loadEmbedder, storeDirOf } from '../app.js';
import { createConfiguredLogger, createConfiguredProgress, exitWhenWritten, exitWith, loadConfigOrExit } from './bootstrap.js';

/**
 * `npm run embed`: downloads the model if needed and builds `embeddings/` ahead of time (one
 * folder per article), so the first start of the bot is fast. Fails (exit 1) when the model is
 * unavailable.
 */
const config = loadConfigOrExit();
const logger = createConfiguredLogger(config);
const progress = createConfiguredProgress(config, logger);
let articles;
try {
  articles = await loadArticles(config, logger);
} catch (error) {
  exitWith((error as Error).message);
}
const { embedder, reason } = await loadEmbedder(config, { logger, onDownloadProgress: progress.download });
if (!embedder) exitWith(`Cannot build embeddings: ${reason}`);
for (const article of articles) {
  await buildArticleIndex({ article, embedder, storeDir: storeDirOf(config, article.id), onEvent: progress.index });
}
logger.info('Embeddings are ready', { dir: config.embeddingsDir, articles: articles.length, passages: articles.reduce((n, a) => n + a.passages.length, 0) });
exitWhenWritten();
