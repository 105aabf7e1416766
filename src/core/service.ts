import type { AskOptions } from './library-answerer.js';
import type { Library } from './library.js';
import type { AnswerResult, Article, RetrievalMode } from './types.js';

export type { AskOptions } from './library-answerer.js';

/**
 * What every adapter (terminal, Discord) needs from the core: the library of articles and a way to
 * answer a question. Built once by the composition root (`src/app.ts`).
 */
export interface AnswerService {
  readonly library: Library;
  /** 'lexical' when the embedding model could not be loaded (or lexical search was asked for). */
  readonly mode: RetrievalMode;
  /** Why the mode is lexical, in one actionable line; undefined in hybrid mode. */
  readonly degradedReason: string | undefined;
  /**
   * Answers a question that already passed `checkQuestion`. Never throws for "no answer": that
   * is a `not-covered` result.
   * @throws Error when `options.article` names no article of the library.
   */
  answer(question: string, options?: AskOptions): Promise<AnswerResult>;
  /**
   * Indexes (and embeds, storing its vectors) an article and adds it to the library while the
   * service runs, replacing an article with the same id.
   */
  addArticle(article: Article): Promise<void>;
}
