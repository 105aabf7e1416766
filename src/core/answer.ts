import type { ArticleIndex, SentenceRef } from './article-index.js';
import { detectArticleIntent, type ArticleIntent } from './intents.js';
import { terms } from './text.js';
import { cosineAll } from './vectors.js';
import type { AnswerResult, Citation, Embedder, RetrievalMode } from './types.js';

/**
 * Turns a question into an answer value: article-metadata questions from the parsed byline,
 * everything else by hybrid retrieval (dense cosine fused with BM25), a sentence-level answer
 * with citations, or an explicit `not-covered`.
 */

export interface AnswererOptions {
  readonly index: ArticleIndex;
  /** Question embedder; required when the index has dense vectors. */
  readonly embedder?: Embedder | undefined;
  /** How many supporting passages to cite at most. */
  readonly topK: number;
}

export type Answerer = (question: string) => Promise<AnswerResult>;

/** Cited passages must score at least this share of the best passage. */
const MIN_RELATIVE_SCORE = 0.35;
/** A second sentence joins the answer when it scores at least this share of the best one. */
const SECOND_SENTENCE_SHARE = 0.9;
const MAX_ANSWER_SENTENCES = 2;
/** Coverage credit for a question term matched only through a shared prefix ("Germany" ~ "German"). */
const PREFIX_MATCH_CREDIT = 0.7;
/** Weight of dense similarity against BM25 in the fused passage score. */
const DENSE_WEIGHT = 0.6;
/** Dense evidence (z against the off-topic probes) from which dense similarity gets its full weight. */
const DENSE_FULL_TRUST_Z = 4;

/** Abstention thresholds; see `isCovered` and the README's "How it decides" section. */
export const COVERAGE = {
  /** Share of the question's (IDF-weighted) content terms found in the article that alone is enough. */
  lexicalAlone: 0.5,
  /** With this much lexical support, a dense score above the off-topic band is enough. */
  lexicalWithDense: 0.2,
  /** Standard deviations above the off-topic probes' mean that dense evidence alone needs. */
  denseAloneZ: 3,
  /** …or this many, together with `lexicalWithDense` coverage. */
  denseWithLexicalZ: 2,
} as const;

export function createAnswerer({ index, embedder, topK }: AnswererOptions): Answerer {
  const mode: RetrievalMode = index.dense && embedder ? 'hybrid' : 'lexical';
  const { article } = index;
  // Scratch buffers reused by every question: nothing large is allocated per question.
  const passageCos = new Float32Array(article.passages.length);
  const sentenceCos = new Float32Array(index.sentences.length);

  return async function answer(question: string): Promise<AnswerResult> {
    const intent = detectArticleIntent(question);
    if (intent === 'summary') return summarize();
    if (intent) return answerFromMetadata(intent);

    const queryTerms = terms(question);
    const passageLex = index.lexicalPassages.score(queryTerms);
    const sentenceLex = index.lexicalSentences.score(queryTerms);
    const coverage = lexicalCoverage(queryTerms);

    let dense: { passage: Float32Array; sentence: Float32Array; z: number; top: number } | undefined;
    if (mode === 'hybrid') {
      const [vector] = await embedder!.embedQueries([question]);
      cosineAll(index.dense!.passages, vector!, passageCos);
      cosineAll(index.dense!.sentences, vector!, sentenceCos);
      // A passage is as relevant as its best-matching sentence or its whole text, whichever is higher.
      const passage = Float32Array.from(passageCos);
      index.sentences.forEach((s, i) => {
        if (sentenceCos[i]! > passage[s.passageIndex]!) passage[s.passageIndex] = sentenceCos[i]!;
      });
      const top = Math.max(...passage);
      const { mean, std } = index.dense!.offTopic;
      dense = { passage, sentence: sentenceCos, top, z: (top - mean) / Math.max(std, 1e-3) };
    }

    if (!isCovered(coverage, passageLex, dense)) return notCovered();

    const fused = fuse(passageLex, dense, index.dense?.offTopic.mean ?? 0);
    const ranked = [...fused.keys()].sort((a, b) => fused[b]! - fused[a]!);
    const best = fused[ranked[0]!]!;
    if (!(best > 0)) return notCovered();
    const top = ranked.slice(0, topK).filter((i) => fused[i]! >= best * MIN_RELATIVE_SCORE);

    const chosen = chooseSentences(top, fused, sentenceLex, dense && { scores: dense.sentence, trust: denseTrust(dense.z) });
    const quotes = new Map<number, SentenceRef[]>();
    for (const s of chosen) quotes.set(s.passageIndex, [...(quotes.get(s.passageIndex) ?? []), s]);
    const citedOrder = [...new Set([...chosen.map((s) => s.passageIndex), ...top])];
    const citations: Citation[] = citedOrder.map((i) => ({
      passage: article.passages[i]!.number,
      score: round(fused[i]! / best),
      quote: (quotes.get(i) ?? []).map((s) => s.text).join(' '),
    }));
    return {
      kind: 'answer',
      answer: chosen.map((s) => s.text).join(' '),
      citations,
      mode,
      basis: 'passages',
    };
  };

  /**
   * IDF-weighted share of the question's content terms that occur in the article. Terms the
   * article never uses weigh the most, so one unknown topic word outweighs common shared words.
   */
  function lexicalCoverage(queryTerms: readonly string[]): number {
    const unique = [...new Set(queryTerms)];
    let found = 0;
    let total = 0;
    for (const term of unique) {
      const weight = index.lexicalPassages.idf(term);
      total += weight;
      if (index.lexicalPassages.has(term)) found += weight;
      else if (index.lexicalPassages.expand(term).length > 0) found += weight * PREFIX_MATCH_CREDIT;
    }
    return total === 0 ? 0 : found / total;
  }

  /**
   * Decides whether the article covers the question by combining independent signals:
   * lexical coverage, and the dense top score measured against the off-topic probes' spread for
   * this model and article (a z-score, so it carries over between models whose cosines differ).
   */
  function isCovered(coverage: number, passageLex: Float64Array, dense: { z: number } | undefined): boolean {
    const lexicalHit = coverage >= COVERAGE.lexicalAlone && Math.max(...passageLex) > 0;
    if (!dense) return lexicalHit;
    return (
      lexicalHit ||
      dense.z >= COVERAGE.denseAloneZ ||
      (coverage >= COVERAGE.lexicalWithDense && dense.z >= COVERAGE.denseWithLexicalZ)
    );
  }

  function chooseSentences(
    topPassages: readonly number[],
    passageScore: Float64Array,
    sentenceLex: Float64Array,
    sentenceDense: { scores: Float32Array; trust: number } | undefined,
  ): SentenceRef[] {
    const candidates = index.sentences.map((s, i) => ({ s, i })).filter(({ s }) => topPassages.includes(s.passageIndex));
    const norm = (values: number[]) => {
      const min = Math.min(...values);
      const span = Math.max(...values) - min;
      return values.map((v) => (span > 0 ? (v - min) / span : 0));
    };
    const lex = norm(candidates.map(({ i }) => sentenceLex[i]!));
    const den = sentenceDense ? norm(candidates.map(({ i }) => sentenceDense.scores[i]!)) : undefined;
    const denWeight = 0.5 * (sentenceDense?.trust ?? 0);
    const maxPassage = Math.max(...topPassages.map((p) => passageScore[p]!));
    const scored = candidates
      .map(({ s }, j) => {
        const passage = passageScore[s.passageIndex]! / maxPassage;
        const score = den ? denWeight * den[j]! + 0.3 * lex[j]! + 0.2 * passage : 0.7 * lex[j]! + 0.3 * passage;
        return { s, score };
      })
      .sort((a, b) => b.score - a.score);
    const first = scored[0]!;
    const chosen = [first.s];
    for (const next of scored.slice(1)) {
      if (chosen.length >= MAX_ANSWER_SENTENCES || next.score < first.score * SECOND_SENTENCE_SHARE) break;
      chosen.push(next.s);
    }
    // A very short best sentence rarely answers alone: add the sentence that follows it.
    if (chosen.length === 1 && first.s.text.length < 60) {
      const follower = index.sentences.find((s) => s.passageIndex === first.s.passageIndex && s.position === first.s.position + 1);
      if (follower) chosen.push(follower);
    }
    // The best sentence leads; sentences of one passage read in article order.
    return chosen.sort((a, b) =>
      a.passageIndex === b.passageIndex ? a.position - b.position : a === first.s ? -1 : b === first.s ? 1 : 0,
    );
  }

  function summarize(): AnswerResult {
    const lead = article.passages[0]!;
    return {
      kind: 'answer',
      answer: lead.sentences.slice(0, 2).join(' '),
      citations: [{ passage: lead.number, score: 1, quote: lead.sentences.slice(0, 2).join(' ') }],
      mode,
      basis: 'passages',
    };
  }

  function answerFromMetadata(intent: Exclude<ArticleIntent, 'summary'>): AnswerResult {
    const missing = (what: string): AnswerResult => ({
      kind: 'not-covered',
      answer: `The article does not state its ${what}.`,
      citations: [],
      mode,
      basis: 'metadata',
    });
    const found = (answer: string): AnswerResult => ({ kind: 'answer', answer, citations: [], mode, basis: 'metadata' });
    switch (intent) {
      case 'author':
        return article.author ? found(`The article was written by ${article.author}.`) : missing('author');
      case 'date':
        return article.date ? found(`The article was published on ${article.date}.`) : missing('publication date');
      case 'headline':
        return found(`The headline is "${article.headline}".`);
    }
  }

  function notCovered(): AnswerResult {
    return {
      kind: 'not-covered',
      answer: 'The article does not cover that.',
      citations: [],
      mode,
      basis: 'none',
    };
  }
}

/**
 * Fuses BM25 and dense scores into one relevance in [0, 1] per passage. Each signal is scaled to
 * its best passage; dense scores are measured from the off-topic level (what an unrelated
 * question scores), so passages no closer than an unrelated question get no dense credit. Unlike
 * rank fusion, this keeps the gaps between scores, which decide how many passages deserve a
 * citation.
 */
function fuse(lexical: Float64Array, dense: { passage: Float32Array; z: number } | undefined, offTopicLevel: number): Float64Array {
  const fused = new Float64Array(lexical.length);
  const maxLex = Math.max(...lexical);
  // Dense similarity barely above the off-topic level is mostly noise: trust it in proportion to
  // its evidence, fully from DENSE_FULL_TRUST_Z deviations up.
  const denseWeight = dense ? DENSE_WEIGHT * denseTrust(dense.z) : 0;
  const lexWeight = dense ? 1 - DENSE_WEIGHT : 1;
  if (maxLex > 0) for (let i = 0; i < lexical.length; i++) fused[i] = (lexWeight * lexical[i]!) / maxLex;
  if (dense) {
    const scores = dense.passage;
    const span = Math.max(...scores) - offTopicLevel;
    if (span > 0) for (let i = 0; i < scores.length; i++) fused[i]! += (denseWeight * Math.max(0, scores[i]! - offTopicLevel)) / span;
  }
  return fused;
}

/** How far dense similarity is trusted, from 0.25 (barely above off-topic) to 1. */
function denseTrust(z: number): number {
  return Math.min(1, Math.max(0.25, z / DENSE_FULL_TRUST_Z));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
