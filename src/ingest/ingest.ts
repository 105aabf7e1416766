import { open } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArticle } from '../core/article.js';
import type { Article } from '../core/types.js';
import { IngestRefusal } from './errors.js';
import { extractArticle, type ExtractedArticle } from './extract.js';
import { fetchPage, type FetchLimits } from './fetch-page.js';
import { articleId, composeArticleFile } from './markdown.js';

/**
 * From a web address or a local file to an article ready for the library: its id, what was read
 * from the page, and the file text. Nothing is written here (see save.ts).
 */

export interface IngestedArticle {
  /** File name without extension: `articles/<id>.md`, `embeddings/<id>/`. */
  readonly id: string;
  /** Where the article came from: the address after redirects, or the absolute file path. */
  readonly source: string;
  /** Headline, author, date and paragraphs as extracted from the page. */
  readonly extracted: ExtractedArticle;
  /** The file's text, in the format `parseArticle` reads. */
  readonly markdown: string;
  /** The article as the library will read it from that file. */
  readonly article: Article;
  /** Anything the person adding the article should know (e.g. a byline that could not be kept). */
  readonly notes: readonly string[];
}

const TEXT_EXTENSIONS = new Set(['.txt', '.md', '.markdown', '.text']);
const HTML_EXTENSIONS = new Set(['.html', '.htm', '.xhtml', '.shtml']);

/**
 * Reads an article from `source`: an http(s) address is fetched (see fetch-page.ts); anything else
 * is a local HTML or text file (`~` is not expanded; relative paths are relative to `cwd`).
 * @throws IngestRefusal with a message for the user when it cannot be read as an article.
 */
export async function ingestArticle(source: string, limits: FetchLimits, cwd = process.cwd()): Promise<IngestedArticle> {
  const trimmed = source.trim();
  if (trimmed === '') throw new IngestRefusal('bad-source', 'Give the address of an article (https://…) or the path of an HTML or text file.');
  if (/^https?:\/\//i.test(trimmed)) {
    const page = await fetchPage(trimmed, limits);
    return finish(extractArticle(page.body, page.url, page.charset), page.url);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new IngestRefusal('bad-source', `Only http and https addresses can be fetched, not ${trimmed.slice(0, trimmed.indexOf(':') + 1)}`);
  }
  const file = path.resolve(cwd, trimmed);
  const bytes = await readLocalFile(file, limits.maxBytes);
  const ext = path.extname(file).toLowerCase();
  if (bytes.includes(0)) throw new IngestRefusal('not-html', `${file} is not an HTML or text file.`);
  const isHtml = HTML_EXTENSIONS.has(ext) || (!TEXT_EXTENSIONS.has(ext) && /^\s*</.test(Buffer.from(bytes.subarray(0, 64)).toString('latin1').replace(/^ï»¿/, '')));
  if (isHtml) return finish(extractArticle(bytes, pathToFileURL(file).href), file);
  return finish(fromText(Buffer.from(bytes).toString('utf8'), file), file);
}

function finish(extracted: ExtractedArticle, source: string): IngestedArticle {
  const { markdown, article, notes } = composeArticleFile(extracted);
  return { id: articleId(article.headline, article.isoDate ?? extracted.isoDate), source, extracted, markdown, article, notes };
}

/** A text or markdown article is already in the library's format; it is read and written back normalised. */
function fromText(text: string, file: string): ExtractedArticle {
  let article: Article;
  try {
    article = parseArticle(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new IngestRefusal('no-article', `No article text found in ${file} (${(error as Error).message}).`);
  }
  return { headline: article.headline, author: article.author, isoDate: article.isoDate, paragraphs: article.passages.map((p) => p.text) };
}

async function readLocalFile(file: string, maxBytes: number): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? (error as Error).message);
    throw new IngestRefusal('bad-source', `Cannot read ${file} (${why}); give a web address (https://…) or the path of an HTML or text file.`);
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new IngestRefusal('bad-source', `${file} is a folder; give the path of an HTML or text file.`);
    if (stats.size > maxBytes) throw new IngestRefusal('too-large', `${file} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB, the most this program reads (FETCH_MAX_MB).`);
    return await handle.readFile();
  } catch (error) {
    if (error instanceof IngestRefusal) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new IngestRefusal('bad-source', `${file} is a folder; give the path of an HTML or text file.`);
    throw error;
  } finally {
    await handle.close();
  }
}
