/**
 * Adding articles to the library from a web address or a local file: fetch, extract, write the
 * article file, build its embeddings. The CLI (`npm run add-article`) and the Discord command use
 * this module; it knows nothing of either.
 */
export { IngestRefusal, type RefusalReason } from './errors.js';
export { extractArticle, type ExtractedArticle } from './extract.js';
export { fetchPage, MAX_REDIRECTS, USER_AGENT, type FetchLimits, type FetchedPage } from './fetch-page.js';
export { ingestArticle, type IngestedArticle } from './ingest.js';
export { articleId, composeArticleFile, formatDate } from './markdown.js';
export { addArticle, saveArticleFile, type AddArticleOptions, type AddedArticle, type EmbeddingsOutcome } from './save.js';
