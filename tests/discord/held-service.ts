import type { AnswerService, AskOptions } from '../../src/core/service.js';
import type { AnswerResult, Article } from '../../src/core/types.js';

/** A question that reached a {@link HeldService} and waits for the test to let it through. */
export interface HeldQuestion {
  readonly question: string;
  /** Lets the real service answer it. */
  release(): void;
  /** Makes the answer fail with `error` instead. */
  fail(error: Error): void;
}

/**
 * The real answer service behind a gate the test opens: every question is held until the test
 * calls `release()` (or `fail()`), so "the answer is slow" is an event the test controls — no
 * sleeps, no timing guesses.
 */
export class HeldService implements AnswerService {
  readonly #real: AnswerService;
  readonly #arrived: HeldQuestion[] = [];
  readonly #waiting: ((held: HeldQuestion) => void)[] = [];

  constructor(real: AnswerService) {
    this.#real = real;
  }

  get library() {
    return this.#real.library;
  }

  get mode() {
    return this.#real.mode;
  }

  addArticle(article: Article): Promise<void> {
    return this.#real.addArticle(article);
  }

  get degradedReason() {
    return this.#real.degradedReason;
  }

  async answer(question: string, options?: AskOptions): Promise<AnswerResult> {
    const outcome = await new Promise<Error | undefined>((resolve) => {
      const held: HeldQuestion = { question, release: () => resolve(undefined), fail: (error) => resolve(error) };
      const waiter = this.#waiting.shift();
      if (waiter) waiter(held);
      else this.#arrived.push(held);
    });
    if (outcome) throw outcome;
    return this.#real.answer(question, options);
  }

  /** Resolves with the next question to reach the service (one already waiting counts). */
  nextQuestion(): Promise<HeldQuestion> {
    const held = this.#arrived.shift();
    if (held) return Promise.resolve(held);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}
