import type { FeedbackCitation } from './feedback.js';

/**
 * Recent answers by answer id, so a 👍/👎 click can record the exact question, answer and scored
 * citations. Bounded (least recently used out first); after a restart or eviction the vote
 * handler falls back to reading the answer message itself.
 */

export interface RememberedAnswer {
  /** Id of the article answered from; undefined for a question back, or when read from a message that does not say. */
  readonly article?: string | undefined;
  readonly question: string;
  readonly answer: string;
  readonly citations: readonly FeedbackCitation[];
}

export interface AnswerMemory {
  remember(answerId: string, answer: RememberedAnswer): void;
  recall(answerId: string): RememberedAnswer | undefined;
  readonly size: number;
}

export function createAnswerMemory(capacity = 1000): AnswerMemory {
  const entries = new Map<string, RememberedAnswer>();
  return {
    remember(answerId, answer) {
      entries.delete(answerId);
      entries.set(answerId, answer);
      while (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
    },
    recall(answerId) {
      const answer = entries.get(answerId);
      if (answer) {
        // Refresh: an answer people are voting on is worth keeping.
        entries.delete(answerId);
        entries.set(answerId, answer);
      }
      return answer;
    },
    get size() {
      return entries.size;
    },
  };
}
