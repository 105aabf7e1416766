/**
 * What the program counts, as the adapters see it. The Prometheus implementation
 * (`prometheus.ts`, loaded only when METRICS_PORT is set) turns these into `/metrics`; otherwise
 * `noMetrics` records nothing, so a one-shot command never loads prom-client.
 */

/**
 * Where a question was asked: a slash command, a mention, a DM, the context menu, the terminal, a
 * reply to one of the bot's messages, or a message in a thread the bot answers in.
 */
export type QuestionSurface = 'slash' | 'mention' | 'dm' | 'context-menu' | 'cli' | 'reply' | 'thread';

/**
 * How it ended: answered from the article, not covered by it, refused (empty, too long, no words),
 * over the per-user limit, or failed.
 */
export type QuestionOutcome = 'answered' | 'not-covered' | 'clarify' | 'refused' | 'cooldown' | 'error';

export interface QuestionEvent {
  readonly surface: QuestionSurface;
  readonly outcome: QuestionOutcome;
  /** The gateway shard it came in on; undefined outside Discord. */
  readonly shard: number | undefined;
  /** From the question's arrival to the reply being delivered. */
  readonly seconds: number;
}

export interface Metrics {
  /** One question, counted once, whatever its outcome. */
  question(event: QuestionEvent): void;
  /** One 👍/👎 click that was recorded. */
  vote(vote: 'up' | 'down'): void;
}

/** Counts nothing (METRICS_PORT unset). */
export const noMetrics: Metrics = Object.freeze({
  question: () => undefined,
  vote: () => undefined,
});
