
/**
 * Text utilities for ingestion: markdown clean-up and sentence splitting (term analysis for
 * retrieval is in terms.ts).
 */

/** Resolves markdown backslash escapes (`\$` → `$`, `\*` → `*`). */
export function unescapeMarkdown(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** A character some markdown construct below needs. */
const MARKDOWN_MARK = /[*_`~[]/;

/**
 * Removes markdown emphasis, links and inline code markers while keeping the readable words:
 * `*Financial Times*` → `Financial Times`, `[text](url)` → `text`. Escaped characters (`\*`) are
 * kept literally because they are resolved afterwards.
 */
export function stripMarkdown(text: string): string {
  // Most paragraphs carry no markdown at all: skip the six patterns for them.
  if (!MARKDOWN_MARK.test(text)) return text;
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(^|[^\\*])(\*{1,3})(?=\S)([^*]*?\S)\2(?!\*)/g, '$1$3')
    .replace(/(^|[^\\\w])(_{1,3})(?=\S)([^_]*?\S)\2(?![\w_])/g, '$1$3')
    .replace(/(^|[^\\`])`([^`]+)`/g, '$1$2')
    .replace(/~~(\S[^~]*?\S|\S)~~/g, '$1');
}

// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS = new Set(
  'mr mrs ms dr prof sr jr st mt gen col lt sgt capt cmdr adm gov sen rep pres rev hon vs etc inc ltd co corp dept est fig no jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m'.split(' '),
);

/** Characters before a full stop searched for the word it ends: longer than any abbreviation or initials. */
const BOUNDARY_LOOKBEHIND = 48;

const OPENING_QUOTES = new Set(['"', '“', '«', '„']);
const CLOSING_QUOTES = new Set(['"', '”', '»', '“']);

/**
 * Splits a paragraph into sentences. A quotation stays whole with its attribution
 * (`"We need more. Now," he said.` is one sentence) as long as its quote marks balance; an
 * ellipsis or a full stop followed by a lower-case word does not end a sentence.
 */
export function splitSentences(paragraph: string): string[] {
  const text = paragraph.trim();
  if (text === '') return [];
  const balanced = quotesBalance(text);
  const sentences: string[] = [];
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') inQuote = !inQuote;
    else if (ch === '“') inQuote = true;
    else if (ch === '”') inQuote = false;
    if (ch !== '.' && ch !== '!' && ch !== '?') continue;
    // Consume the whole run of terminal punctuation and closing quotes/brackets.
    let end = i + 1;
    while (end < text.length && /[.!?…]/.test(text[end]!)) end++;
    let closedQuote = false;
    while (end < text.length && (CLOSING_QUOTES.has(text[end]!) || text[end] === ')' || text[end] === "'" || text[end] === '’')) {
      if (text[end] === '"' || text[end] === '”') closedQuote = true;
      end++;
    }
    if (end >= text.length) break;
    if (!/\s/.test(text[end]!)) continue;
    let next = end;
    while (next < text.length && /\s/.test(text[next]!)) next++;
    // Only the sentence's last word and the next two characters decide: slicing no more keeps a
    // long paragraph's split linear.
    const before = text.slice(Math.max(start, i + 1 - BOUNDARY_LOOKBEHIND), i + 1);
    if (isSentenceBoundary(before, text.slice(next, next + 2), end - i > 1 && text[i + 1] === '.')) {
      const insideQuote = balanced && inQuote && !closedQuote;
      if (!insideQuote) {
        sentences.push(text.slice(start, end).trim());
        start = next;
      }
    }
    if (closedQuote) inQuote = false;
    i = end - 1;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

function quotesBalance(text: string): boolean {
  const straight = (text.match(/"/g) ?? []).length;
  const open = (text.match(/“/g) ?? []).length;
  const close = (text.match(/”/g) ?? []).length;
  return straight % 2 === 0 && open === close;
}

function isSentenceBoundary(before: string, following: string, ellipsis: boolean): boolean {
  // The next sentence must start like one: capital letter, digit, or an opening quote/bracket.
  const first = following[0];
  if (first === undefined) return false;
  let startChar = first;
  if (OPENING_QUOTES.has(first) || first === '(' || first === "'" || first === '‘') startChar = following[1] ?? '';
  if (!/[\p{Lu}\p{N}]/u.test(startChar)) return false;
  if (ellipsis) return true;
  const lastWord = /([\p{L}.]+)\.$/u.exec(before)?.[1]?.toLowerCase();
  if (lastWord === undefined) return true;
  if (ABBREVIATIONS.has(lastWord)) return false;
  // Single initials ("J. Smith") and dotted acronyms ("U.S.") are not ends of sentences when a
  // capitalised name follows; we accept the rare miss on a sentence that ends in an acronym.
  if (/^\p{L}$/u.test(lastWord) || /^(\p{L}\.)+\p{L}$/u.test(lastWord)) return false;
  return true;
}

/** `text` matched literally inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
