import { annotateArticle, type ArticleFacts } from './annotate.js';
import { createBm25Index, type Bm25Index } from './bm25.js';
import { buildVocabulary, type Vocabulary } from './vocabulary.js';
import { cosineAll, type VectorMatrix } from './vectors.js';
import { OFF_TOPIC_PROBES } from './probes.js';
import { joinTerms, loadPassageTerms, savePassageTerms, splitTerms } from './term-store.js';
import { terms } from './terms.js';
import { hashTexts, loadVectors, saveVectors, type StoreKey } from './vector-store.js';
import type { Article, Embedder } from './types.js';

/** One sentence of the article, located in its passage. */
export interface SentenceRef {
  /** Index into `article.passages`. */
  readonly passageIndex: number;
  /** Position of the sentence within its passage. */
  readonly position: number;
  readonly text: string;
}

/** Dense side of the index: everything the answer path needs, embedded ahead of time. */
export interface DenseIndex {
  readonly passages: VectorMatrix;
  readonly sentences: VectorMatrix;
  /** How unrelated questions score against this article (see probes.ts). */
  readonly offTopic: { readonly mean: number; readonly std: number; readonly max: number };
}

export interface ArticleIndex {
  readonly article: Article;
  readonly sentences: readonly SentenceRef[];
  /** Each passage's terms (worked out, or split from `passageTermLines`, on first use). */
  readonly passageTerms: readonly (readonly string[])[];
  /**
   * Each passage's terms joined by spaces, as stored with the vectors: a library's routing index
   * is built from these, so that a thousand articles' terms need not be held as separate strings.
   */
  readonly passageTermLines: readonly string[];
  readonly lexicalPassages: Bm25Index;
  /** Each sentence's terms in order (worked out on first use, with `lexicalSentences`). */
  readonly sentenceTerms: readonly (readonly string[])[];
  readonly lexicalSentences: Bm25Index;
  /** The article's words, for correcting a question's typos. */
  readonly vocabulary: Vocabulary;
  /**
   * Numbers, dates, names and speakers of every sentence, by passage then sentence; computed on
   * first use (a few milliseconds per article), so a large library starts without paying for it.
   */
  facts(): ArticleFacts;
  /** Undefined in lexical-only mode. */
  readonly dense: DenseIndex | undefined;
}

export type IndexEvent =
  | { readonly type: 'loaded'; readonly dir: string }
  | { readonly type: 'rebuilding'; readonly reason: string }
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly type: 'saved'; readonly dir: string; readonly seconds: number };

export interface BuildIndexOptions {
  readonly article: Article;
  /** Omit for lexical-only retrieval. */
  readonly embedder?: Embedder | undefined;
  /** Folder for stored vectors; omit to embed in memory without storing. */
  readonly storeDir?: string | undefined;
  readonly onEvent?: ((event: IndexEvent) => void) | undefined;
  /** Texts embedded per forward pass while building. */
  readonly batchSize?: number;
}

/**
 * Builds the lexical indexes and, with an embedder, the dense vectors of passages, sentences and
 * off-topic probes. Stored vectors are reused when their manifest matches; missing, stale or
 * corrupt ones are rebuilt and saved. With a store, the passages' terms are read from it too (or
 * worked out and stored), so that a library's routing index starts without analysing them.
 */
export async function buildArticleIndex(options: BuildIndexOptions): Promise<ArticleIndex> {
  const { article, embedder, storeDir, onEvent } = options;
  const sentences: SentenceRef[] = article.passages.flatMap((passage, passageIndex) =>
    passage.sentences.map((text, position) => ({ passageIndex, position, text })),
  );
  const passageTexts = article.passages.map((p) => p.text);
  const sentenceTexts = sentences.map((s) => s.text);
  // Built on first use: a library of a thousand articles starts without indexing every sentence,
  // and an article no question reaches never pays for it.
  let passageTerms: (readonly string[])[] | undefined;
  let passageTermLines = storeDir ? await loadPassageTerms(storeDir, article.contentHash, passageTexts.length) : undefined;
  if (storeDir && !passageTermLines) {
    passageTerms = passageTexts.map((text) => terms(text));
    await savePassageTerms(storeDir, article.contentHash, passageTerms);
  }
  let lexicalPassages: Bm25Index | undefined;
  let lexicalSentences: Bm25Index | undefined;
  let sentenceTerms: (readonly string[])[] | undefined;
  let vocabulary: Vocabulary | undefined;
  let facts: ArticleFacts | undefined;
  const index = {
    article,
    sentences,
    dense: undefined as DenseIndex | undefined,
    get passageTerms() {
      return (passageTerms ??= passageTermLines ? passageTermLines.map(splitTerms) : passageTexts.map((text) => terms(text)));
    },
    get passageTermLines() {
      return (passageTermLines ??= index.passageTerms.map(joinTerms));
    },
    get lexicalPassages() {
      return (lexicalPassages ??= createBm25Index(passageTexts, { terms: index.passageTerms }));
    },
    get sentenceTerms() {
      return (sentenceTerms ??= sentenceTexts.map((text) => terms(text)));
    },
    get lexicalSentences() {
      return (lexicalSentences ??= createBm25Index(sentenceTexts, { terms: index.sentenceTerms }));
    },
    get vocabulary() {
      return (vocabulary ??= buildVocabulary(passageTexts, (term) => index.lexicalPassages.has(term)));
    },
    facts: () => (facts ??= annotateArticle(article)),
  };
  if (!embedder) return index;

  const dimension = embedder.fingerprint.dimension;
  const key: StoreKey = {
    articleHash: article.contentHash,
    unitsHash: hashTexts([...passageTexts, '\u0001', ...sentenceTexts, '\u0001', ...OFF_TOPIC_PROBES]),
    fingerprint: embedder.fingerprint,
    passageCount: passageTexts.length,
    sentenceCount: sentenceTexts.length,
    probeCount: OFF_TOPIC_PROBES.length,
  };

  const rows = passageTexts.length + sentenceTexts.length;
  let stored: { vectors: Float32Array; offTopic: DenseIndex['offTopic'] } | undefined;
  if (storeDir) {
    const outcome = await loadVectors(storeDir, key);
    if (outcome.status === 'loaded') {
      stored = outcome;
      onEvent?.({ type: 'loaded', dir: storeDir });
    } else {
      onEvent?.({ type: 'rebuilding', reason: outcome.reason });
    }
  }
  if (!stored) {
    const started = performance.now();
    const embedded = await embedAll(embedder, passageTexts, sentenceTexts, options.batchSize ?? 16, onEvent);
    const probes: VectorMatrix = { rows: OFF_TOPIC_PROBES.length, dimension, data: embedded.probes };
    stored = { vectors: embedded.vectors, offTopic: offTopicSpread({ rows: passageTexts.length, dimension, data: embedded.vectors.subarray(0, passageTexts.length * dimension) }, probes) };
    if (storeDir) {
      await saveVectors(storeDir, key, stored.vectors, stored.offTopic);
      onEvent?.({ type: 'saved', dir: storeDir, seconds: (performance.now() - started) / 1000 });
    }
  }

  const all = stored.vectors;
  if (all.length !== rows * dimension) throw new Error(`expected ${rows} vectors of ${dimension} dimensions`);
  const slice = (from: number, count: number): VectorMatrix => ({
    rows: count,
    dimension,
    data: all.subarray(from * dimension, (from + count) * dimension),
  });
  const passages = slice(0, passageTexts.length);
  // Assigned, not spread: spreading would run the lazy getters above.
  index.dense = {
    passages,
    sentences: slice(passageTexts.length, sentenceTexts.length),
    offTopic: stored.offTopic,
  };
  return index;
}

/** The passages' and sentences' vectors (in that order, one contiguous array), and the off-topic probes'. */
async function embedAll(
  embedder: Embedder,
  passageTexts: readonly string[],
  sentenceTexts: readonly string[],
  batchSize: number,
  onEvent: BuildIndexOptions['onEvent'],
): Promise<{ vectors: Float32Array; probes: Float32Array }> {
  const dimension = embedder.fingerprint.dimension;
  // A one-sentence passage is its own sentence: embed each distinct text once. Shortest first, so
  // that each batch holds texts of similar length: a batch is padded to its longest text, and
  // padding costs as much compute as text (about a quarter less time on the seed article).
  const documents = [...new Set([...passageTexts, ...sentenceTexts])].sort((a, b) => a.length - b.length);
  const total = documents.length + OFF_TOPIC_PROBES.length;
  const byText = new Map<string, Float32Array>();
  let done = 0;
  onEvent?.({ type: 'progress', done, total });
  for (let i = 0; i < documents.length; i += batchSize) {
    const batch = documents.slice(i, i + batchSize);
    const vectors = await embedder.embedDocuments(batch);
    batch.forEach((text, j) => byText.set(text, vectors[j]!));
    done += batch.length;
    onEvent?.({ type: 'progress', done, total });
  }
  const probeVectors = await embedder.embedQueries(OFF_TOPIC_PROBES);
  onEvent?.({ type: 'progress', done: total, total });

  const pack = (rows: readonly Float32Array[]) => {
    const out = new Float32Array(rows.length * dimension);
    rows.forEach((row, i) => {
      if (row.length !== dimension) throw new Error(`the model returned ${row.length} dimensions, expected ${dimension}`);
      out.set(row, i * dimension);
    });
    return out;
  };
  return { vectors: pack([...passageTexts.map((t) => byText.get(t)!), ...sentenceTexts.map((t) => byText.get(t)!)]), probes: pack(probeVectors) };
}

/** Best passage score of each off-topic probe, summarised. */
function offTopicSpread(passages: VectorMatrix, probes: VectorMatrix): DenseIndex['offTopic'] {
  const best: number[] = [];
  const scores = new Float32Array(passages.rows);
  for (let p = 0; p < probes.rows; p++) {
    cosineAll(passages, probes.data.subarray(p * probes.dimension, (p + 1) * probes.dimension), scores);
    let top = -Infinity;
    for (const score of scores) if (score > top) top = score;
    best.push(top);
  }
  const mean = best.reduce((a, b) => a + b, 0) / best.length;
  const std = Math.sqrt(best.reduce((a, b) => a + (b - mean) ** 2, 0) / best.length);
  return { mean, std, max: Math.max(...best) };
}
