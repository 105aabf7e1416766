import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { IngestRefusal } from './errors.js';
import { cleanText, readMetadata, type PageMetadata } from './metadata.js';

/**
 * Turns a news page into its article: metadata (see metadata.ts) and the paragraphs of the body,
 * without what surrounds them on the page. Readability finds the body; before it runs, the parts
 * of a news page that are not article text are taken out of the DOM — Readability alone keeps
 * figures with their captions, and keeps share bars, "Read more" lists and subscription boxes
 * when they sit inside the article element, as they often do.
 */

export interface ExtractedArticle extends PageMetadata {
  /** Body paragraphs in order, white space folded, each non-empty. */
  readonly paragraphs: readonly string[];
}

/**
 * Least article text, in characters, for a page to count as an article. A short news brief has two
 * or three sentences (about 300 characters); what falls below this is a login wall, an app shell
 * rendered by scripts, or a list of links.
 */
export const MIN_ARTICLE_CHARS = 200;

/**
 * A paragraph or list item whose text is mostly link text is navigation ("Read more: …", lists of
 * related articles), not prose. 0.5 is the link density at which Readability's own cleaner drops
 * a block regardless of its other signals.
 */
const MAX_LINK_DENSITY = 0.5;

/**
 * An element whose class or id marks it as page furniture is removed unless it holds this share
 * of the page's paragraph text or more: a class like "article-share-enabled" on the article itself
 * must not take the article with it.
 */
const MAX_FURNITURE_SHARE = 0.25;

/**
 * Elements that are never article text and never hold the metadata read from the page, removed
 * first: on a page heavy with navigation this shrinks the DOM every later query scans.
 */
const NON_TEXT_ELEMENTS = 'figure, figcaption, picture, img, audio, video, iframe, embed, object, svg, canvas, noscript, button, form, input, select, textarea, dialog, nav, style';
/** Never article text either, but read for metadata (JSON-LD scripts, an author box) first. */
const NON_TEXT_AFTER_METADATA = 'script, template, aside';

/** Class or id words of page furniture: share bars, players, captions, promotions, related links, sign-up boxes. */
const FURNITURE =
  /(?:^|[\s_-])(?:share|sharing|social|audio|video|player|podcast|listen|caption|subscri\w*|newsletter|sign-?up|paywall|donat\w*|promo\w*|related|read-?more|more-?(?:stories|articles)|recommend\w*|advert\w*|ad|ads|tags)(?=$|[\s_-])/i;

/** A heading or label that introduces a list of other articles. */
const LINK_LIST_LABEL = /^(?:read more|related(?: articles| stories| coverage| content)?|more on this(?: topic| story)?|see also|recommended(?: reading| for you)?|further reading|more from [\p{L} ]{1,40}|you may also like|most read)\s*:?$/iu;

/** Block elements whose text becomes a paragraph (the innermost ones only). */
const TEXT_BLOCKS = new Set(['P', 'LI', 'BLOCKQUOTE', 'PRE', 'DD', 'TD']);

/**
 * Extracts the article from an HTML document.
 * @param body the page as received; jsdom decodes it from `charset`, a BOM or `<meta charset>`.
 * @param url the page's address (after redirects), for relative links and the date in the path.
 * @throws IngestRefusal when the page has no article text or no headline.
 */
export function extractArticle(body: Uint8Array | string, url: string, charset?: string): ExtractedArticle {
  const dom = parseHtml(body, url, charset);
  const doc = dom.window.document;
  try {
    for (const element of doc.querySelectorAll(NON_TEXT_ELEMENTS)) element.remove();
    const metadata = readMetadata(doc, url);
    removeNonArticleParts(doc);
    const result = new Readability<Element>(doc, { serializer: (node) => node as Element }).parse();
    const paragraphs = result?.content ? collectParagraphs(result.content) : [];
    const characters = paragraphs.reduce((sum, p) => sum + p.length, 0);
    if (characters < MIN_ARTICLE_CHARS) {
      throw new IngestRefusal('no-article', `No article text found at ${url} (is it a front page, a list of links, or a page that needs scripts or a login?); nothing was added.`);
    }
    const headline = metadata.headline ?? (result?.title ? cleanText(result.title) || undefined : undefined);
    if (!headline) throw new IngestRefusal('no-article', `The page at ${url} has article text but no headline; nothing was added.`);
    return { ...metadata, headline, paragraphs: dropHeadlineEcho(paragraphs, headline) };
  } finally {
    dom.window.close();
  }
}

function parseHtml(body: Uint8Array | string, url: string, charset: string | undefined): JSDOM {
  // No `runScripts` and no `resources`: jsdom then runs none of the page's scripts and fetches
  // nothing. The page is always parsed as HTML, since XHTML served as XML fails on the first sloppy
  // tag. The silent console swallows jsdom's complaints about the page's CSS.
  const options = { url, virtualConsole: new VirtualConsole() };
  const input = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (charset && isKnownEncoding(charset)) return new JSDOM(input, { ...options, contentType: `text/html; charset=${charset}` });
  return new JSDOM(input, { ...options, contentType: 'text/html' });
}

function isKnownEncoding(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/** Takes page furniture out of the DOM before Readability scores it (see FURNITURE). */
function removeNonArticleParts(doc: Document): void {
  for (const element of doc.querySelectorAll(NON_TEXT_AFTER_METADATA)) element.remove();
  for (const element of doc.querySelectorAll('[hidden], [aria-hidden="true"], [role="button"], [role="navigation"], [role="complementary"]')) element.remove();

  for (const label of doc.querySelectorAll('h1, h2, h3, h4, h5, h6, p, strong, b, span, div, dt')) {
    if (!label.isConnected || label.textContent === null || label.textContent.length > 60) continue;
    if (!LINK_LIST_LABEL.test(cleanText(label.textContent))) continue;
    // The label and the list it introduces: its next sibling, or the label's container when the
    // container holds nothing but the label and links.
    const container = label.parentElement;
    const next = label.nextElementSibling;
    if (next && (next.tagName === 'UL' || next.tagName === 'OL' || linkDensity(next) > MAX_LINK_DENSITY)) next.remove();
    label.remove();
    if (container && !container.matches('body, main, article, [itemprop~="articleBody"]') && (cleanText(container.textContent ?? '') === '' || linkDensity(container) > MAX_LINK_DENSITY)) container.remove();
  }

  const pageText = paragraphTextLength(doc.body);
  const isFurniture = (element: Element) => FURNITURE.test(`${element.getAttribute('class') ?? ''} ${element.id}`);
  for (const element of doc.querySelectorAll('[class], [id]')) {
    if (!element.isConnected || element === doc.body || element === doc.documentElement || !isFurniture(element)) continue;
    if (element.querySelector('[itemprop~="articleBody"]')) continue;
    if (paragraphTextLength(element) >= MAX_FURNITURE_SHARE * pageText && pageText > 0) continue;
    element.remove();
  }
}

function paragraphTextLength(root: Element | null): number {
  if (!root) return 0;
  let total = 0;
  for (const p of root.querySelectorAll('p')) total += (p.textContent ?? '').length;
  return total;
}

function linkDensity(element: Element): number {
  const text = cleanText(element.textContent ?? '').length;
  if (text === 0) return 0;
  let links = 0;
  for (const a of element.querySelectorAll('a')) links += cleanText(a.textContent ?? '').length;
  return links / text;
}

/** The text of every innermost text block of Readability's article, in order. */
function collectParagraphs(content: Element): string[] {
  for (const br of content.querySelectorAll('br')) br.replaceWith(content.ownerDocument.createTextNode(' '));
  const paragraphs: string[] = [];
  const visit = (element: Element) => {
    const children = [...element.children];
    const isBlock = TEXT_BLOCKS.has(element.tagName);
    if (isBlock && !children.some((child) => containsTextBlock(child))) {
      const text = cleanText(element.textContent ?? '');
      if (/[\p{L}\p{N}]/u.test(text) && linkDensity(element) <= MAX_LINK_DENSITY && !LINK_LIST_LABEL.test(text)) paragraphs.push(text);
      return;
    }
    if (/^H[1-6]$/.test(element.tagName)) return;
    children.forEach(visit);
  };
  visit(content);
  return paragraphs;
}

function containsTextBlock(element: Element): boolean {
  return TEXT_BLOCKS.has(element.tagName) || [...element.children].some(containsTextBlock);
}

/** Some pages repeat the headline as the body's first paragraph. */
function dropHeadlineEcho(paragraphs: readonly string[], headline: string): string[] {
  return paragraphs[0]?.toLowerCase() === headline.toLowerCase() ? paragraphs.slice(1) : [...paragraphs];
}
