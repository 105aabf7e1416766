import { parseDate } from '../core/article.js';

/**
 * Headline, author and publication date of a news page, each taken from the most reliable place
 * that has it, in this order:
 *
 * 1. JSON-LD `NewsArticle` (or another schema.org article type), also inside `@graph` and arrays —
 *    what publishers write for search engines, so the most carefully kept;
 * 2. Open Graph / `article:*` / `author` meta tags;
 * 3. the page itself: the `<header>` (author links such as `/en/authors/…`, `rel=author`,
 *    `itemprop=author`, `<time datetime>`), the first `<h1>`;
 * 4. for the date, the address's `/YYYY/MM/DD/` path.
 *
 * Readability reads some of these too, but it misses shapes real sites use (an `@type` array, an
 * author given as a plain string, a graph inside an array), so the order is spelled out here.
 */

export interface PageMetadata {
  readonly headline: string | undefined;
  /** One name, or several joined with ", " and " and ". */
  readonly author: string | undefined;
  /** YYYY-MM-DD, as the publisher dated it (the local date of a timestamp, not converted to UTC). */
  readonly isoDate: string | undefined;
}

/** schema.org news article types, preferred to the general article types below. */
const NEWS_ARTICLE_TYPE = /^(?:\w+)?NewsArticle$/;
const ARTICLE_TYPE = /^(?:Article|Report|BlogPosting|LiveBlogPosting|SatiricalArticle|ScholarlyArticle|TechArticle|OpinionNewsArticle)$/;

/** Reads the metadata of a parsed page. `url` is the page's address after redirects. */
export function readMetadata(doc: Document, url: string): PageMetadata {
  const ld = fromJsonLd(doc);
  const meta = fromMetaTags(doc);
  const page = fromMarkup(doc);
  return {
    headline: ld.headline ?? meta.headline ?? page.headline,
    author: ld.author ?? meta.author ?? page.author,
    isoDate: ld.isoDate ?? meta.isoDate ?? page.isoDate ?? dateFromUrl(url),
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function fromJsonLd(doc: Document): Partial<PageMetadata> {
  const nodes: Array<Record<string, Json>> = [];
  const collect = (value: Json | undefined): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') {
      nodes.push(value);
      collect(value['@graph']);
    }
  };
  for (const script of doc.querySelectorAll('script[type="application/ld+json" i]')) {
    try {
      collect(JSON.parse((script.textContent ?? '').replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, '')) as Json);
    } catch {
      // A malformed block is common enough (trailing commas, HTML entities); the next source decides.
    }
  }
  const typesOf = (node: Record<string, Json>) => [node['@type']].flat().filter((t): t is string => typeof t === 'string').map((t) => t.replace(/^.*[/:]/, ''));
  const article = nodes.find((n) => typesOf(n).some((t) => NEWS_ARTICLE_TYPE.test(t))) ?? nodes.find((n) => typesOf(n).some((t) => ARTICLE_TYPE.test(t)));
  if (!article) return {};
  const headline = [article.headline, article.name].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  const authors = [article.author ?? article.creator]
    .flat()
    .map((a) => (typeof a === 'string' ? a : a && typeof a === 'object' && !Array.isArray(a) && typeof a.name === 'string' ? a.name : undefined))
    .filter((name): name is string => name !== undefined);
  return {
    headline: headline ? cleanText(headline) : undefined,
    author: joinNames(authors),
    isoDate: typeof article.datePublished === 'string' ? toIsoDate(article.datePublished) : undefined,
  };
}

function fromMetaTags(doc: Document): Partial<PageMetadata> {
  const content = (...selectors: string[]): string[] =>
    selectors.flatMap((selector) => [...doc.querySelectorAll(`meta[${selector}]`)].map((m) => cleanText(m.getAttribute('content') ?? ''))).filter((v) => v !== '');
  const headline = content('property="og:title" i', 'name="twitter:title" i', 'property="twitter:title" i')[0];
  const author = joinNames(content('property="article:author" i', 'name="author" i', 'name="article:author" i', 'name="dc.creator" i', 'name="parsely-author" i'));
  const isoDate = content('property="article:published_time" i', 'name="article:published_time" i', 'itemprop="datePublished"', 'name="parsely-pub-date" i', 'name="date" i', 'name="dc.date" i')
    .map(toIsoDate)
    .find((d) => d !== undefined);
  return { headline, author, isoDate };
}

function fromMarkup(doc: Document): Partial<PageMetadata> {
  // The article's own header first: a page also links other authors (related articles, sidebars).
  const scopes = ['article header', 'header', '[itemprop="articleBody"]', 'article', 'main', ''];
  const inScopes = (selector: string): Element[] => {
    for (const scope of scopes) {
      const found = [...doc.querySelectorAll(scope ? `${scope} ${selector}` : selector)];
      if (found.length > 0) return found;
    }
    return [];
  };
  const authorSelectors = ['a[rel~="author"]', '[itemprop~="author"]', 'a[href*="/authors/"]', 'a[href*="/author/"]', '[class*="byline" i] a'];
  let author: string | undefined;
  for (const selector of authorSelectors) {
    author = joinNames(inScopes(selector).map(authorName).filter((n): n is string => n !== undefined));
    if (author) break;
  }
  const isoDate = [...inScopes('time[datetime]'), ...inScopes('[itemprop="datePublished"][datetime]')]
    .map((t) => toIsoDate(t.getAttribute('datetime') ?? ''))
    .find((d) => d !== undefined);
  const h1 = inScopes('h1')[0];
  const headline = h1 ? cleanText(h1.textContent ?? '') || undefined : undefined;
  return { headline, author, isoDate };
}

function authorName(element: Element): string | undefined {
  const named = element.querySelector('[itemprop~="name"]') ?? element;
  const text = cleanText(named.getAttribute('content') ?? named.textContent ?? '');
  return text === '' ? undefined : text;
}

/**
 * Deduplicated names, "By" removed, web addresses dropped (Open Graph's `article:author` is often a
 * profile URL), joined the way a byline reads: "A", "A and B", "A, B and C".
 */
function joinNames(names: readonly string[]): string | undefined {
  const unique: string[] = [];
  for (const raw of names) {
    for (const part of raw.split(/\s*(?:,|;|\band\b|&)\s*/)) {
      const name = cleanText(part.replace(/^(?:by|written by)\s+/i, ''));
      if (name === '' || /^(?:https?:\/\/|www\.)/i.test(name) || !/\p{L}/u.test(name)) continue;
      if (!unique.some((n) => n.toLowerCase() === name.toLowerCase())) unique.push(name);
    }
  }
  if (unique.length === 0) return undefined;
  return unique.length === 1 ? unique[0] : `${unique.slice(0, -1).join(', ')} and ${unique.at(-1)}`;
}

/**
 * The calendar date of a timestamp as the publisher wrote it: `2022-09-16T22:30:00-04:00` is the
 * 16th (converting to UTC would make it the 17th). Also reads written dates ("16 September 2022").
 */
export function toIsoDate(value: string): string | undefined {
  const iso = /^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])/.exec(value);
  if (iso) return validDate(+iso[1]!, +iso[2]!, +iso[3]!);
  const compact = /^\s*(\d{4})(\d{2})(\d{2})(?:$|T)/.exec(value);
  if (compact) return validDate(+compact[1]!, +compact[2]!, +compact[3]!);
  const written = parseDate(value);
  if (!written) return undefined;
  const [y, m, d] = written.iso.split('-').map(Number) as [number, number, number];
  return validDate(y, m, d);
}

/** `/2022/09/16/` in the address, as many news sites file their articles. */
export function dateFromUrl(url: string): string | undefined {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const match = /\/((?:19|20)\d{2})\/(\d{1,2})\/(\d{1,2})(?:\/|$)/.exec(pathname);
  return match ? validDate(+match[1]!, +match[2]!, +match[3]!) : undefined;
}

function validDate(y: number, m: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1800 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Folds white space (including non-breaking and zero-width) into single spaces. */
export function cleanText(text: string): string {
  return text.replace(/[\u200B-\u200D\uFEFF]/g, '').replace(/\s+/g, ' ').trim();
}
