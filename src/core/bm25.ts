import { terms } from './text.js';

/**
 * Okapi BM25 over a fixed set of documents (passages or sentences). Built once per article;
 * scoring a question touches only the postings of its terms.
 */
export interface Bm25Index {
  readonly size: number;
  /** Inverse document frequency of a term; terms absent from every document get the maximum. */
  idf(term: string): number;
  /** True when at least one document contains the term. */
  has(term: string): boolean;
  /**
   * The indexed terms a query term stands for: itself when indexed, else indexed terms sharing a
   * long prefix with it ("germany" → "german"), so inflections the stemmer misses still match.
   */
  expand(term: string): readonly string[];
  /** BM25 score of every document for the given query terms (0 where no term matches). */
  score(queryTerms: readonly string[]): Float64Array;
}

const K1 = 1.2;
/** Shortest shared prefix that lets an unknown query term match an indexed one. */
const MIN_PREFIX = 5;
const B = 0.75;

export interface Bm25Options {
  /** Turns a text into its index terms (default: `terms`, the project's analysis). */
  readonly analyze?: (text: string) => string[];
}

export function createBm25Index(documents: readonly string[], { analyze = terms }: Bm25Options = {}): Bm25Index {
  const docTerms = documents.map((d) => analyze(d));
  const lengths = docTerms.map((t) => t.length);
  const avgLength = lengths.reduce((a, b) => a + b, 0) / Math.max(1, documents.length) || 1;
  const postings = new Map<string, Map<number, number>>();
  docTerms.forEach((list, doc) => {
    for (const term of list) {
      let posting = postings.get(term);
      if (!posting) postings.set(term, (posting = new Map()));
      posting.set(doc, (posting.get(doc) ?? 0) + 1);
    }
  });
  const n = documents.length;
  // BM25+ style idf that stays positive for very common terms.
  const idfOf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  const maxIdf = idfOf(0);
  const vocabulary = [...postings.keys()];
  const expansions = new Map<string, readonly string[]>();
  function expand(term: string): readonly string[] {
    if (postings.has(term)) return [term];
    let found = expansions.get(term);
    if (!found) {
      found = term.length < MIN_PREFIX ? [] : vocabulary.filter((v) => v.length >= MIN_PREFIX && sharedPrefix(v, term) >= Math.max(MIN_PREFIX, Math.min(v.length, term.length) - 2));
      if (expansions.size < 10_000) expansions.set(term, found);
    }
    return found;
  }

  return {
    size: n,
    idf: (term) => {
      const df = postings.get(term)?.size ?? 0;
      return df === 0 ? maxIdf : idfOf(df);
    },
    has: (term) => postings.has(term),
    expand,
    score(queryTerms) {
      const scores = new Float64Array(n);
      for (const term of new Set(queryTerms.flatMap(expand))) {
        const posting = postings.get(term);
        if (!posting) continue;
        const idf = idfOf(posting.size);
        for (const [doc, tf] of posting) {
          const norm = tf + K1 * (1 - B + (B * lengths[doc]!) / avgLength);
          scores[doc]! += (idf * tf * (K1 + 1)) / norm;
        }
      }
      return scores;
    },
  };
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
