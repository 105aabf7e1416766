import { buildArticleIndex } from '../core/article-index.js';
import { loadArticles, loadEmbedder, storeDirOf } from '../app.js';
import { createLogger } from '../log.js';
import { createProgressReporters } from '../progress.js';
import { exitWith, loadConfigOrExit } from './bootstrap.js';

/**
 * `npm run embed`: downloads the model if needed and builds `embeddings/` ahead of time, so the
 * first start of the bot is fast. Fails (exit 1) when the model is unavailable.
 */
const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);
const progress = createProgressReporters(logger);
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
