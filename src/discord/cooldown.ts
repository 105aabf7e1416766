import { UserError } from '../errors.js';

/**
 * Per-user question (and vote) limit over a sliding window: at most `limit` questions in any `windowMs`.
 * Pure apart from the injected clock, so tests control time.
 */

/** A question refused because its asker is over the limit; the message says when to try again. */
export class CooldownError extends UserError {
  override name = 'CooldownError';
}

export type CooldownVerdict =
  | { readonly ok: true }
  /** `retryAfterMs`: when the oldest counted question leaves the window. */
  | { readonly ok: false; readonly retryAfterMs: number };

export interface Cooldown {
  /** Counts one question for `key` if allowed; a refused question is not counted. */
  take(key: string): CooldownVerdict;
}

export interface CooldownOptions {
  readonly limit: number;
  readonly windowMs: number;
  readonly now?: () => number;
  /** Above this many tracked users, users with no question in the window are forgotten. */
  readonly maxKeys?: number;
}

/** @throws RangeError for a limit or window below 1. */
export function createCooldown({ limit, windowMs, now = Date.now, maxKeys = 10_000 }: CooldownOptions): Cooldown {
  if (!(limit >= 1) || !(windowMs >= 1)) throw new RangeError('A cooldown needs a limit and a window of at least 1.');
  const asked = new Map<string, number[]>();

  const sweep = (at: number) => {
    for (const [key, times] of asked) {
      if ((times.at(-1) ?? -Infinity) <= at - windowMs) asked.delete(key);
    }
  };

  return {
    take(key) {
      const at = now();
      // Strictly inside the window: a question asked exactly windowMs ago no longer counts.
      const recent = (asked.get(key) ?? []).filter((t) => t > at - windowMs);
      if (recent.length >= limit) {
        asked.set(key, recent);
        return { ok: false, retryAfterMs: Math.max(1, (recent[0] ?? at) + windowMs - at) };
      }
      recent.push(at);
      asked.set(key, recent);
      if (asked.size > maxKeys) sweep(at);
      return { ok: true };
    },
  };
}

/**
 * The notice shown instead of an answer (or a recorded vote): the limit, and how long to wait in
 * whole seconds (at least 1). Votes have their own budget of the same size (`RATE_LIMIT`).
 */
export function cooldownNotice(retryAfterMs: number, limit: { readonly questions: number; readonly perSeconds: number }, what: 'question' | 'vote' = 'question'): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `You've reached the limit of ${plural(limit.questions, what)} per ${plural(limit.perSeconds, 'second')} — please try again in ${plural(seconds, 'second')}.`;
}
