import { createHash } from 'node:crypto';
import { splitSentences, stripMarkdown, unescapeMarkdown } from './text.js';
import type { Article, Passage } from './types.js';

/**
 * Parses a plain-text or markdown news article into headline, byline, date and numbered passages.
 *
 * The layout it expects is the common one: a headline first, then optional byline and date lines,
 * then paragraphs separated by blank lines. It repairs what copy-pasted articles usually carry:
 * markdown escapes and emphasis, a sentence broken across a blank line, and a trailing footer
 * (contact, subscribe, copyright, bare links) that is not article content.
 *
 * @throws Error when the text has no paragraph of content.
 */
export function parseArticle(raw: string, id = 'article'): Article {
  const contentHash = createHash('sha256').update(raw).digest('hex');
  const blocks = raw
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((block) => block.split('\n').map((line) => line.trim()).filter(Boolean))
    .filter((lines) => lines.length > 0);

  const headlineBlock = blocks.shift();
  if (!headlineBlock) throw new Error('the article is empty');
  const headline = cleanInline(headlineBlock[0]!.replace(/^#+\s*/, ''));
  // Lines in the headline's own block after the headline are standfirst/byline candidates.
  const front: string[] = headlineBlock.slice(1);
  while (blocks.length > 0 && blocks[0]!.every((line) => isFrontMatterLine(line))) front.push(...blocks.shift()!);

  let author: string | undefined;
  let date: string | undefined;
  let isoDate: string | undefined;
  for (const line of front) {
    const text = cleanInline(line);
    const parsedDate = parseDate(text);
    if (parsedDate && !date) {
      date = parsedDate.text;
      isoDate = parsedDate.iso;
      const rest = text.replace(parsedDate.text, '').replace(/^[\s,|·–—-]+|[\s,|·–—-]+$/g, '');
      if (rest && !author && looksLikeByline(rest)) author = bylineName(rest);
    } else if (!author && looksLikeByline(text)) {
      author = bylineName(text);
    }
  }

  const paragraphs = dropFooter(joinBrokenSentences(blocks.map((lines) => lines.join(' '))));
  const passages: Passage[] = paragraphs
    .map((paragraph) => cleanInline(paragraph))
    .filter((text) => /[\p{L}\p{N}]/u.test(text))
    .map((text, i) => ({ number: i + 1, text, sentences: splitSentences(text) }));
  if (passages.length === 0) throw new Error('the article has a headline but no paragraphs');
  return { id, headline, author, date, isoDate, passages, contentHash };
}

/** Markdown escapes resolved, emphasis removed, white space folded. */
function cleanInline(text: string): string {
  return unescapeMarkdown(stripMarkdown(text)).replace(/\s+/g, ' ').trim();
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = `(${MONTHS.map((m) => `${m[0]!.toUpperCase()}${m.slice(1, 3)}(?:${m.slice(3)})?\\.?`).join('|')})`;
const DATE_PATTERNS: ReadonlyArray<{ re: RegExp; parts: (m: RegExpExecArray) => [number, number, number] }> = [
  { re: /\b(\d{4})-(\d{2})-(\d{2})\b/, parts: (m) => [+m[1]!, +m[2]!, +m[3]!] },
  { re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)? ${MONTH},? (\\d{4})\\b`, 'i'), parts: (m) => [+m[3]!, monthIndex(m[2]!), +m[1]!] },
  { re: new RegExp(`\\b${MONTH} (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})\\b`, 'i'), parts: (m) => [+m[3]!, monthIndex(m[1]!), +m[2]!] },
];

function monthIndex(name: string): number {
  return MONTHS.findIndex((m) => m.startsWith(name.toLowerCase().replace('.', '').slice(0, 3))) + 1;
}

/** Finds a calendar date in a line; returns it as written and in ISO form. */
export function parseDate(line: string): { text: string; iso: string } | undefined {
  for (const { re, parts } of DATE_PATTERNS) {
    const match = re.exec(line);
    if (!match) continue;
    const [y, m, d] = parts(match);
    if (m < 1 || m > 12 || d < 1 || d > 31) continue;
    return { text: match[0], iso: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
  }
  return undefined;
}

/** A short line before the body: a byline, a date, or both. */
function isFrontMatterLine(line: string): boolean {
  const text = cleanInline(line);
  if (text.length > 80 || /[.!?]["”]?$/.test(text.replace(/\b(?:Jr|Sr|Dr)\.$/, ''))) return false;
  return parseDate(text) !== undefined || looksLikeByline(text);
}

function looksLikeByline(text: string): boolean {
  const name = bylineName(text);
  // Two to five capitalised words (allowing particles like "de", "van" and initials).
  return /^(?:\p{Lu}[\p{L}'’.-]*|de|da|van|von|der|bin|al|le|la)(?: (?:\p{Lu}[\p{L}'’.-]*|de|da|van|von|der|bin|al|le|la)){1,4}(?:(?:,| and| &) \p{Lu}[\p{L}'’.-]*(?: \p{Lu}[\p{L}'’.-]*){1,3})*$/u.test(name);
}

function bylineName(text: string): string {
  return text.replace(/^(?:by|written by|from)\s+/i, '').replace(/\s*[|·–—-]\s*.*$/, '').trim();
}

const TERMINAL = /[.!?…:;"”’')\]]$/;

/**
 * Rejoins a sentence that a blank line split in two: a paragraph that does not end like a
 * sentence, followed by one that starts in lower case, is one paragraph.
 */
function joinBrokenSentences(paragraphs: readonly string[]): string[] {
  const out: string[] = [];
  for (const paragraph of paragraphs) {
    const previous = out.at(-1);
    if (previous !== undefined && !TERMINAL.test(previous) && /^[\p{Ll}]/u.test(paragraph)) {
      out[out.length - 1] = previous.endsWith('-') ? previous + paragraph : `${previous} ${paragraph}`;
    } else {
      out.push(paragraph);
    }
  }
  return out;
}

const FOOTER_WORDS =
  /\b(?:to contact|contact us|subscribe|subscription|newsletter|sign up|follow us|all rights reserved|copyright|share this|share on|read more|related articles?|click here|visit:|terms of (?:use|service)|privacy policy|advertisement|donate)\b|©/i;
const LINK_ONLY = /^(?:[\s(]*(?:https?:\/\/|www\.)?[\w-]+(?:\.[\w-]+)+(?:\/\S*)?[\s)]*|\S+@\S+\.\w+)$/i;

/**
 * Drops trailing paragraphs that are not article content: contact and subscription notes,
 * copyright lines, bare links or e-mail addresses. Stops at the first paragraph from the end
 * that reads like content, so a last sentence that merely mentions a website is kept.
 */
function dropFooter(paragraphs: readonly string[]): string[] {
  let end = paragraphs.length;
  while (end > 1) {
    const text = paragraphs[end - 1]!;
    const words = text.split(/\s+/).length;
    const isFooter = LINK_ONLY.test(text) || (FOOTER_WORDS.test(text) && words <= 40);
    if (!isFooter) break;
    end--;
  }
  return paragraphs.slice(0, end);
}
