import type { Article } from './types.js';

/**
 * The articles the bot answers about, by id. Adapters list them, show one, or restrict a question
 * to one; the answer service routes an open question to the best-matching article(s).
 */
export interface Library {
  /** Most recent first (by publication date, then id). */
  readonly articles: readonly Article[];
  get(id: string): Article | undefined;
  /** The most recently published article: the default where one article must be chosen. */
  readonly latest: Article;
  readonly size: number;
}

/** @throws Error when there are no articles or two share an id. */
export function createLibrary(articles: readonly Article[]): Library {
  if (articles.length === 0) throw new Error('the library has no articles');
  const byId = new Map<string, Article>();
  for (const article of articles) {
    if (byId.has(article.id)) throw new Error(`two articles have the id "${article.id}"`);
    byId.set(article.id, article);
  }
  const ordered = [...articles].sort((a, b) => (b.isoDate ?? '').localeCompare(a.isoDate ?? '') || a.id.localeCompare(b.id));
  return {
    articles: ordered,
    get: (id) => byId.get(id),
    latest: ordered[0]!,
    size: ordered.length,
  };
}

/**
 * Articles matching what someone typed: an exact id, else ids and headlines holding every word
 * typed (case-insensitive), most recent first. For autocomplete and for `--article`.
 */
export function findArticles(library: Library, typed: string): Article[] {
  const query = typed.trim().toLowerCase();
  if (query === '') return [...library.articles];
  const exact = library.get(typed.trim());
  if (exact) return [exact];
  const words = query.split(/\s+/);
  return library.articles.filter((a) => {
    const text = `${a.id} ${a.headline}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
