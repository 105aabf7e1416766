import type { AnswerResult, Article, RetrievalMode } from './types.js';

/**
 * What every adapter (terminal, Discord) needs from the core: the parsed article and a way to
 * answer a question. Built once by the composition root (`src/app.ts`).
 */
export interface AnswerService {
  readonly article: Article;
  /** 'lexical' when the embedding model could not be loaded. */
  readonly mode: RetrievalMode;
  /** Why the mode is lexical, in one actionable line; undefined in hybrid mode. */
  readonly degradedReason: string | undefined;
  /**
   * Answers a question that already passed `checkQuestion`. Never throws for "no answer": that
   * is a `not-covered` result.
   */
  answer(question: string): Promise<AnswerResult>;
}
