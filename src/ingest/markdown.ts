import { createHash } from 'node:crypto';
import { parseArticle } from '../core/article.js';
import { STOP_WORDS } from '../core/stopwords.js';
import type { Article } from '../core/types.js';
import type { ExtractedArticle } from './extract.js';

/**
 * The article file the library reads: the layout `parseArticle` expects (headline first, then
 * byline and date lines, then paragraphs separated by blank lines), and an id for it.
 */

/** Headline words kept in an id: enough to recognise the article in a file list. */
const MAX_ID_WORDS = 6;
/** Longest id before the date, so that file names stay readable and well under any path limit. */
const MAX_ID_CHARS = 60;

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A stable id for an article, safe as a file name on every system: the headline's first content
 * words in lower-case ASCII and the date, e.g. `us-escalates-conflict-2022-09-16`. A headline with
 * no Latin letters (Russian, Chinese) gets a short hash of the headline instead of words.
 */
export function articleId(headline: string, isoDate: string | undefined): string {
  const all = headline
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const content = all.filter((w) => !STOP_WORDS.has(w));
  const words: string[] = [];
  for (const word of content.length > 0 ? content : all) {
    if (words.length >= MAX_ID_WORDS || [...words, word].join('-').length > MAX_ID_CHARS) break;
    words.push(word);
  }
  const stem = words.length > 0 ? words.join('-') : `article-${createHash('sha256').update(headline).digest('hex').slice(0, 8)}`;
  return isoDate ? `${stem}-${isoDate}` : stem;
}

/** "2022-09-16" → "16 September 2022", the form the seed article uses and the parser reads. */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTH_NAMES[m - 1]} ${y}`;
}

export interface ArticleFile {
  /** The file's text. */
  readonly markdown: string;
  /** The file as the library will read it (parseArticle of `markdown`). */
  readonly article: Article;
  /** Things the file could not carry, for the person adding the article. */
  readonly notes: readonly string[];
}

/**
 * Writes the article in the library's format and reads it back with `parseArticle`, so what is
 * reported is what the bot will answer from. A byline the parser cannot read as a name (one word,
 * like "Reuters", or lower-case) is left out rather than becoming the first paragraph.
 */
export function composeArticleFile(extracted: ExtractedArticle): ArticleFile {
  const notes: string[] = [];
  let markdown = render(extracted, extracted.author);
  let article = parseArticle(markdown);
  if (extracted.author && article.author !== extracted.author) {
    notes.push(`The byline "${extracted.author}" cannot be recorded in the article format (it expects two to five capitalised words), so the article has no author.`);
    markdown = render(extracted, undefined);
    article = parseArticle(markdown);
  }
  if (article.passages.length < extracted.paragraphs.length) {
    notes.push(`${extracted.paragraphs.length - article.passages.length} short paragraph(s) were read as a byline, date or footer and are not passages.`);
  }
  return { markdown, article, notes };
}

function render(extracted: ExtractedArticle, author: string | undefined): string {
  const lines = [`# ${escapeMarkdown(extracted.headline ?? '')}`];
  if (author) lines.push(`By ${escapeMarkdown(author)}`);
  if (extracted.isoDate) lines.push(formatDate(extracted.isoDate));
  lines.push(...extracted.paragraphs.map((p) => escapeLineStart(escapeMarkdown(p))));
  return lines.join('\n\n') + '\n';
}

/**
 * Escapes what the parser would read as markdown (emphasis, code, links) so that the text comes
 * back exactly: `parseArticle` resolves backslash escapes after removing markup. A `(` right after
 * a `]` is escaped too, since the link pattern matches even escaped brackets.
 */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_`[\]~]/g, '\\$&').replace(/\\\]\(/g, '\\]\\(');
}

/** A paragraph starting with `#` or `>` would render as a heading or quote in a markdown viewer. */
function escapeLineStart(line: string): string {
  return /^[#>]/.test(line) ? `\\${line}` : line;
}
