import stem from 'wink-porter2-stemmer';
import { createBm25Index } from '../../src/core/bm25.js';
import { STOP_WORDS } from '../../src/core/stopwords.js';
import type { Article } from '../../src/core/types.js';

/**
 * The plain BM25 pipeline every figure is compared with: BM25 (k1 1.2, b 0.75) over paragraphs
 * with a textbook analyzer (lower case, letters and digits, English stop words, Porter2 stems),
 * the best paragraph's sentence(s) with the most BM25 weight as the answer, and no abstention.
 * Deliberately independent of the project's own analysis, so improving that does not move it.
 */

export interface BaselineAnswer {
  /** Paragraph numbers, best first. */
  readonly ranking: readonly number[];
  /** The answer text for 1 and for 2 sentences. */
  readonly oneSentence: string;
  readonly twoSentences: string;
}

export function plainAnalyze(text: string): string[] {
  const words = text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((w) => !STOP_WORDS.has(w)).map((w) => stem(w));
}

export function createBaseline(article: Article): (question: string) => BaselineAnswer {
  const passages = createBm25Index(article.passages.map((p) => p.text), { analyze: plainAnalyze });
  const sentences = article.passages.flatMap((p, passageIndex) => p.sentences.map((text, position) => ({ text, passageIndex, position })));
  const sentenceIndex = createBm25Index(sentences.map((s) => s.text), { analyze: plainAnalyze });
  return (question) => {
    const terms = plainAnalyze(question);
    const scores = passages.score(terms);
    const order = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]! || a - b);
    const best = order[0]!;
    const sentenceScores = sentenceIndex.score(terms);
    const inBest = sentences
      .map((s, i) => ({ ...s, score: sentenceScores[i]! }))
      .filter((s) => s.passageIndex === best)
      .sort((a, b) => b.score - a.score || a.position - b.position);
    const top2 = inBest.slice(0, 2).sort((a, b) => a.position - b.position);
    return {
      ranking: order.map((i) => article.passages[i]!.number),
      oneSentence: inBest[0]?.text ?? '',
      twoSentences: top2.map((s) => s.text).join(' '),
    };
  };
}
