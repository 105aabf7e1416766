import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEmbedder } from '../app.js';
import { addArticle, IngestRefusal, type AddedArticle } from '../ingest/index.js';
import { formatDate } from '../ingest/markdown.js';
import { createLogger } from '../log.js';
import { createProgressReporters } from '../progress.js';
import { exitWith, loadConfigOrExit } from './bootstrap.js';

/**
 * `npm run add-article -- <url | path> [--force] [--articles-dir dir]`: adds one article to the
 * library from its web address or a local HTML or text file, then builds its embeddings. A refusal
 * is one line on stderr and exit code 1, with nothing changed.
 */

const USAGE = `Usage:
  npm run add-article -- <url | path>                  add an article from its web address or an HTML/text file
  npm run add-article -- <url | path> --force          replace an article with the same id
  npm run add-article -- <url | path> --articles-dir dir   write to another folder (default ARTICLES_DIR)`;

let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { force: { type: 'boolean', default: false }, 'articles-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (error) {
  exitWith(`${(error as Error).message}\n${USAGE}`);
}
if (parsed.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (parsed.positionals.length !== 1) exitWith(parsed.positionals.length === 0 ? USAGE : `Give one address or path at a time.\n${USAGE}`);

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);
const progress = createProgressReporters(logger);
const articlesDir = parsed.values['articles-dir'] ? path.resolve(parsed.values['articles-dir']) : config.articlesDir;

let added: AddedArticle;
try {
  added = await addArticle(parsed.positionals[0]!, {
    articlesDir,
    embeddingsDir: config.embeddingsDir,
    limits: config.fetch,
    force: parsed.values.force,
    // loadEmbedder's own warning speaks of answering lexically; the summary below says what it means here.
    loadEmbedder: () => loadEmbedder(config, { logger: { ...logger, warn: () => {} }, onDownloadProgress: progress.download }),
    onIndexEvent: progress.index,
  });
} catch (error) {
  if (error instanceof IngestRefusal) exitWith(`Not added: ${error.message}`);
  throw error;
}

const { article } = added;
const shown = (p: string) => (p.startsWith(process.cwd() + path.sep) ? path.relative(process.cwd(), p) : p);
const lines = [
  `${added.replaced ? 'Replaced' : 'Added'} ${added.id}`,
  `  headline  ${article.headline}`,
  `  author    ${article.author ?? '(not found)'}`,
  `  date      ${article.isoDate ? `${formatDate(article.isoDate)} (${article.isoDate})` : '(not found)'}`,
  `  passages  ${article.passages.length}`,
  `  source    ${added.source}`,
  `  file      ${shown(added.file)}`,
  ...(added.embeddings.status === 'built'
    ? [`  vectors   ${shown(added.embeddings.dir)}`]
    : ['  vectors   not built now; they will be built at the next start', `            ${added.embeddings.reason}`]),
  ...added.notes.map((note) => `Note: ${note}`),
];
process.stdout.write(`${lines.join('\n')}\n`);
