import type { Library } from '../core/library.js';
import type { AnswerResult, Article, Citation } from '../core/types.js';

/** Renders core values for a terminal. `color` adds ANSI emphasis (only on a TTY). */
export interface TerminalStyle {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
}

export function terminalStyle(color: boolean): TerminalStyle {
  return color
    ? { bold: (s) => `\x1b[1m${s}\x1b[22m`, dim: (s) => `\x1b[2m${s}\x1b[22m` }
    : { bold: (s) => s, dim: (s) => s };
}

/**
 * An answer for the terminal: what a follow-up was taken to mean, the short answer first, the
 * quoted sentences with their ¶ (and, in a library of several, the article they come from), then
 * the sources. A refusal says so and, when the article comes close, where.
 */
export function formatAnswer(result: AnswerResult, style: TerminalStyle, library?: Library): string {
  const lines: string[] = [];
  const modeNote = result.mode === 'lexical' ? style.dim(' (lexical search only: the embedding model is unavailable)') : '';
  const several = library !== undefined && library.size > 1;
  const cite = (c: Citation) => (several ? `¶${c.passage} of ${c.article}` : `¶${c.passage}`);
  if (result.kind === 'clarify') return `${result.answer}${modeNote}`;
  if (result.kind === 'not-covered') {
    const closest = result.related && result.related.length > 0 ? ` Closest: ${result.related.map(cite).join(', ')} — type "passage N" to read one.` : '';
    const what = several ? 'Type "articles" to see what they are about.' : 'Type "article" to see what it is about.';
    return `${result.answer}${closest} ${what}${modeNote}`;
  }
  if (result.understood) lines.push(style.dim(`${result.understood}:`));
  if (result.short) lines.push(style.bold(result.short));
  if (result.basis === 'metadata') {
    lines.push(`${result.answer}${modeNote}`);
    return lines.join('\n');
  }
  if (several && result.article) lines.push(style.dim(`From “${library.get(result.article)?.headline ?? result.article}”`));
  const quoted = result.citations.filter((c) => c.quote !== '');
  for (const c of quoted) lines.push(`“${c.quote}” ${style.bold(`[${cite(c)}]`)}`);
  const sources = result.citations.map((c) => `${cite(c)} (${c.score.toFixed(2)})`).join(', ');
  lines.push(style.dim(`Sources: ${sources} — type "passage N" to read one.`) + modeNote);
  return lines.join('\n');
}

export function formatArticle(article: Article, style: TerminalStyle): string {
  const byline = [article.author && `by ${article.author}`, article.date].filter(Boolean).join(', ');
  return [style.bold(article.headline), byline, `${article.passages.length} passages (¶1–¶${article.passages.length}) · id ${article.id}`]
    .filter(Boolean)
    .join('\n');
}

/** The library, one line per article, most recent first. */
export function formatLibrary(library: Library, style: TerminalStyle): string {
  return [
    style.bold(`${library.size} article${library.size === 1 ? '' : 's'}:`),
    ...library.articles.map((a) => `  ${a.id}  ${a.headline}${a.date ? style.dim(` (${a.date})`) : ''}`),
  ].join('\n');
}
