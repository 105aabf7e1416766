import type { AnswerResult, Article } from '../core/types.js';

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

export function formatAnswer(result: AnswerResult, style: TerminalStyle): string {
  const lines: string[] = [];
  const modeNote = result.mode === 'lexical' ? style.dim(' (lexical search only: the embedding model is unavailable)') : '';
  if (result.kind === 'not-covered') {
    lines.push(`${result.answer} Type "article" to see what it is about.${modeNote}`);
    return lines.join('\n');
  }
  if (result.basis === 'metadata') {
    lines.push(`${result.answer}${modeNote}`);
    return lines.join('\n');
  }
  const quoted = result.citations.filter((c) => c.quote !== '');
  for (const c of quoted) lines.push(`“${c.quote}” ${style.bold(`[¶${c.passage}]`)}`);
  const sources = result.citations.map((c) => `¶${c.passage} (${c.score.toFixed(2)})`).join(', ');
  lines.push(style.dim(`Sources: ${sources} — type "passage N" to read one.`) + modeNote);
  return lines.join('\n');
}

export function formatArticle(article: Article, style: TerminalStyle): string {
  const byline = [article.author && `by ${article.author}`, article.date].filter(Boolean).join(', ');
  return [style.bold(article.headline), byline, `${article.passages.length} passages (¶1–¶${article.passages.length})`]
    .filter(Boolean)
    .join('\n');
}
