/**
 * Shared value types of the retrieval core. Nothing here knows about Discord or the terminal:
 * adapters render these values in their own way.
 */

/** One numbered paragraph of an article, as users cite it (¶1, ¶2 …). */
export interface Passage {
  /** 1-based, stable for a given article text. */
  readonly number: number;
  /** Readable text: markdown escapes resolved, emphasis markers removed, broken sentences joined. */
  readonly text: string;
  /** The passage split into sentences, in order; quotes stay with their attribution. */
  readonly sentences: readonly string[];
}

export interface Article {
  /** Stable id within a library: the file name without its extension ("us-escalates-conflict-2022-09-16"). */
  readonly id: string;
  readonly headline: string;
  readonly author: string | undefined;
  /** The publication date as written in the article (e.g. "16 September 2022"). */
  readonly date: string | undefined;
  /** ISO form (YYYY-MM-DD) of `date` when it could be parsed. */
  readonly isoDate: string | undefined;
  readonly passages: readonly Passage[];
  /** sha256 of the raw article text; identifies the article in the embeddings manifest. */
  readonly contentHash: string;
}

/** How an answer was found: dense + lexical retrieval, or lexical only (model unavailable). */
export type RetrievalMode = 'hybrid' | 'lexical';

export interface Citation {
  /** Id of the article the passage belongs to. */
  readonly article: string;
  /** The cited passage number (¶N). */
  readonly passage: number;
  /** Fused relevance score in [0, 1], highest first. */
  readonly score: number;
  /** The sentence(s) of that passage quoted in the answer; empty when the passage only supports it. */
  readonly quote: string;
}

export interface AnswerResult {
  /**
   * `answer`; `not-covered` when the article(s) do not say; `clarify` when the question needs an
   * article named first (a metadata question in a library of several, with no article in view).
   */
  readonly kind: 'answer' | 'not-covered' | 'clarify';
  /** The answer in plain text: the quoted sentence(s), or a plain "not covered" statement. */
  readonly answer: string;
  /** Id of the article answered from (or, for `not-covered`, searched); absent for `clarify`. */
  readonly article?: string;
  /**
   * For a follow-up answered in the light of the conversation: what it was taken to mean
   * ("About Ben Hodges"), so the reader can tell.
   */
  readonly understood?: string;
  /** Supporting passages, most relevant first. Empty for metadata answers and not-covered. */
  readonly citations: readonly Citation[];
  readonly mode: RetrievalMode;
  /** Where the answer came from: the passages, or the article's metadata (headline, author, date). */
  readonly basis: 'passages' | 'metadata' | 'none';
  /**
   * The short answer when the question asks for a number, amount, date, person, place or
   * organisation and the quoted sentence holds one (e.g. "$600 million"); shown first.
   */
  readonly short?: string;
  /** For `not-covered`: where the article comes closest (at most 2), so the reader can check. */
  readonly related?: readonly Citation[];
}

/**
 * Turns text into unit-length vectors. Implementations must return one vector per input, in
 * order, each of length `dimension`, L2-normalised.
 */
export interface Embedder {
  /** Identifies the model and settings; a change invalidates stored vectors. */
  readonly fingerprint: EmbedderFingerprint;
  /** Embeds passages or sentences (no query prefix). */
  embedDocuments(texts: readonly string[]): Promise<Float32Array[]>;
  /** Embeds questions (with the model's query prefix, if any). */
  embedQueries(texts: readonly string[]): Promise<Float32Array[]>;
}

export interface EmbedderFingerprint {
  readonly model: string;
  readonly dtype: string;
  readonly pooling: 'cls' | 'mean';
  readonly queryPrefix: string;
  readonly dimension: number;
}
