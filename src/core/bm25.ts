import { terms } from './terms.js';

/**
 * Okapi BM25 over a fixed set of documents (passages or sentences). Built once per article;
 * scoring a question touches only the postings of its terms.
 */
export interface Bm25Index {
  readonly size: number;
  /** Inverse document frequency of a term; terms absent from every document get the maximum. */
  idf(term: string): number;
  /** The idf a term no document contains gets: the most a term can weigh. */
  readonly maxIdf: number;
  /** True when at least one document contains the term. */
  has(term: string): boolean;
  /** True when document `doc` contains the term. */
  contains(term: string, doc: number): boolean;
  /** BM25 score of every document for the given query terms (0 where no term matches). */
  score(queryTerms: readonly string[]): Float64Array;
  /**
   * BM25 where each query word may match through alternatives of lower credit (a typo's
   * correction, a capital for its country): a word adds its best alternative's score in each
   * document, times that alternative's credit, so alternatives never add up.
   */
  scoreAlternatives(words: ReadonlyArray<ReadonlyArray<{ readonly term: string; readonly credit: number }>>): Float64Array;
}

const K1 = 1.2;
const B = 0.75;

export interface Bm25Options {
  /** Turns a text into its index terms (default: `terms`, the project's analysis). */
  readonly analyze?: (text: string) => readonly string[];
  /** The documents' terms, already analysed (then `analyze` is not called). */
  readonly terms?: readonly (readonly string[])[];
}

export function createBm25Index(documents: readonly string[], { analyze = terms, terms: analysed }: Bm25Options = {}): Bm25Index {
  const docTerms = analysed ?? documents.map((d) => analyze(d));
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
  const norms = lengths.map((length) => K1 * (1 - B + (B * length) / avgLength));
  const addTerm = (scores: Float64Array, term: string, factor: number) => {
    const posting = postings.get(term);
    if (!posting) return;
    const idf = idfOf(posting.size) * factor;
    for (const [doc, tf] of posting) scores[doc]! += (idf * tf * (K1 + 1)) / (tf + norms[doc]!);
  };

  return {
    size: n,
    maxIdf,
    idf: (term) => {
      const df = postings.get(term)?.size ?? 0;
      return df === 0 ? maxIdf : idfOf(df);
    },
    has: (term) => postings.has(term),
    contains: (term, doc) => postings.get(term)?.has(doc) ?? false,
    score(queryTerms) {
      const scores = new Float64Array(n);
      for (const term of new Set(queryTerms)) addTerm(scores, term, 1);
      return scores;
    },
    scoreAlternatives(words) {
      const scores = new Float64Array(n);
      const word = new Float64Array(n);
      const best = new Float64Array(n);
      for (const alternatives of words) {
        if (alternatives.length === 1) {
          addTerm(scores, alternatives[0]!.term, alternatives[0]!.credit);
          continue;
        }
        best.fill(0);
        for (const { term, credit } of alternatives) {
          word.fill(0);
          addTerm(word, term, credit);
          for (let d = 0; d < n; d++) if (word[d]! > best[d]!) best[d] = word[d]!;
        }
        for (let d = 0; d < n; d++) scores[d]! += best[d]!;
      }
      return scores;
    },
  };
}
