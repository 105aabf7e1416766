import { buildArticleIndex } from '../core/article-index.js';
import { loadArticle, loadEmbedder } from '../app.js';
import { createConfiguredLogger, createConfiguredProgress, exitWhenWritten, exitWith, loadConfigOrExit } from './bootstrap.js';

/**
 * `npm run embed`: downloads the model if needed and builds `embeddings/` ahead of time, so the
 * first start of the bot is fast. Fails (exit 1) when the model is unavailable.
 */
const config = loadConfigOrExit();
const logger = createConfiguredLogger(config);
const progress = createConfiguredProgress(config, logger);
let article;
try {
  article = await loadArticle(config.articlePath);
} catch (error) {
  exitWith((error as Error).message);
}
const { embedder, reason } = await loadEmbedder(config, { logger, onDownloadProgress: progress.download });
if (!embedder) exitWith(`Cannot build embeddings: ${reason}`);
await buildArticleIndex({ article, embedder, storeDir: config.embeddingsDir, onEvent: progress.index });
logger.info('Embeddings are ready', { dir: config.embeddingsDir, passages: article.passages.length });
exitWhenWritten();
