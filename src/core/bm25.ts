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
  /** Every term some document contains. */
  terms(): Iterable<string>;
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
  /**
   * The documents' terms as lines of terms joined by single spaces (as stored with the vectors):
   * read term by term, never held as separate strings.
   */
  readonly termLines?: readonly string[];
}

export function createBm25Index(documents: readonly string[], { analyze = terms, terms: analysed, termLines }: Bm25Options = {}): Bm25Index {
  const docTerms = termLines ? undefined : (analysed ?? documents.map((d) => analyze(d)));
  // Postings as two parallel arrays per term (documents in ascending order, and the term's count
  // in each), not a map per term: a library's routing index holds about a million postings, and
  // a map entry per posting took most of its build time and memory.
  const ids = new Map<string, number>();
  const postingDocs: number[][] = [];
  const postingCounts: number[][] = [];
  const lengths = new Array<number>(documents.length).fill(0);
  const post = (term: string, doc: number) => {
    lengths[doc]!++;
    let id = ids.get(term);
    if (id === undefined) {
      ids.set(term, (id = postingDocs.length));
      postingDocs.push([]);
      postingCounts.push([]);
    }
    const docs = postingDocs[id]!;
    const last = docs.length - 1;
    if (last >= 0 && docs[last] === doc) postingCounts[id]![last]!++;
    else {
      docs.push(doc);
      postingCounts[id]!.push(1);
    }
  };
  if (termLines) {
    termLines.forEach((line, doc) => {
      // Each term is cut out only to be looked up (the index keeps one string per distinct term).
      for (let start = 0; start < line.length; ) {
        let end = line.indexOf(' ', start);
        if (end === -1) end = line.length;
        if (end > start) post(line.slice(start, end), doc);
        start = end + 1;
      }
    });
  } else {
    docTerms!.forEach((list, doc) => {
      for (const term of list) post(term, doc);
    });
  }
  const avgLength = lengths.reduce((a, b) => a + b, 0) / Math.max(1, documents.length) || 1;
  const n = documents.length;
  // BM25+ style idf that stays positive for very common terms.
  const idfOf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  const maxIdf = idfOf(0);
  const norms = lengths.map((length) => K1 * (1 - B + (B * length) / avgLength));
  /** A term's BM25 weight in one document, from its (credited) idf and its count there. */
  const weigh = (idf: number, tf: number, doc: number) => (idf * tf * (K1 + 1)) / (tf + norms[doc]!);
  const addTerm = (scores: Float64Array, term: string, factor: number) => {
    const id = ids.get(term);
    if (id === undefined) return;
    const docs = postingDocs[id]!;
    const counts = postingCounts[id]!;
    const idf = idfOf(docs.length) * factor;
    for (let k = 0; k < docs.length; k++) {
      const doc = docs[k]!;
      scores[doc]! += weigh(idf, counts[k]!, doc);
    }
  };
  /** Each document's best score among the alternatives, added once: only their postings are visited. */
  const addBestOf = (scores: Float64Array, alternatives: ReadonlyArray<{ readonly term: string; readonly credit: number }>) => {
    const best = new Map<number, number>();
    for (const { term, credit } of alternatives) {
      const id = ids.get(term);
      if (id === undefined) continue;
      const docs = postingDocs[id]!;
      const counts = postingCounts[id]!;
      const idf = idfOf(docs.length) * credit;
      for (let k = 0; k < docs.length; k++) {
        const doc = docs[k]!;
        const value = weigh(idf, counts[k]!, doc);
        if (value > (best.get(doc) ?? 0)) best.set(doc, value);
      }
    }
    for (const [doc, value] of best) scores[doc]! += value;
  };
  const contains = (term: string, doc: number) => {
    const id = ids.get(term);
    if (id === undefined) return false;
    const docs = postingDocs[id]!;
    let lo = 0;
    let hi = docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (docs[mid] === doc) return true;
      if (docs[mid]! < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };

  return {
    size: n,
    maxIdf,
    idf: (term) => {
      const id = ids.get(term);
      return id === undefined ? maxIdf : idfOf(postingDocs[id]!.length);
    },
    has: (term) => ids.has(term),
    terms: () => ids.keys(),
    contains,
    score(queryTerms) {
      const scores = new Float64Array(n);
      for (const term of new Set(queryTerms)) addTerm(scores, term, 1);
      return scores;
    },
    scoreAlternatives(words) {
      const scores = new Float64Array(n);
      for (const alternatives of words) {
        if (alternatives.length === 1) addTerm(scores, alternatives[0]!.term, alternatives[0]!.credit);
        else addBestOf(scores, alternatives);
      }
      return scores;
    },
  };
}
