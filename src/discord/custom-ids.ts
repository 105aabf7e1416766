import { randomBytes } from 'node:crypto';

/**
 * Button custom ids carry everything needed to act on a click, so buttons keep working after a
 * restart (the bot keeps no state a click depends on):
 *
 * - `passages:12,14,3` — show these passages in full;
 * - `vote:up:<answerId>` / `vote:down:<answerId>` — record feedback on one answer.
 *
 * Discord limits a custom id to 100 characters.
 */

export const CUSTOM_ID_MAX = 100;

export type Vote = 'up' | 'down';

export type ButtonAction =
  | { readonly kind: 'passages'; readonly passages: readonly number[] }
  | { readonly kind: 'vote'; readonly vote: Vote; readonly answerId: string };

const ANSWER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A short random id naming one answer (8 URL-safe characters, 48 bits). */
export function newAnswerId(): string {
  return randomBytes(6).toString('base64url');
}

/**
 * `passages:12,14,3`, keeping order, without duplicates or non-positive numbers; numbers that
 * would push the id past 100 characters are left out.
 * @throws RangeError when no valid passage number is given (such a button would do nothing).
 */
export function encodePassagesId(passages: readonly number[]): string {
  let id = 'passages:';
  const seen = new Set<number>();
  for (const n of passages) {
    if (!Number.isSafeInteger(n) || n < 1 || seen.has(n)) continue;
    const next = seen.size === 0 ? `${id}${n}` : `${id},${n}`;
    if (next.length > CUSTOM_ID_MAX) break;
    id = next;
    seen.add(n);
  }
  if (seen.size === 0) throw new RangeError('A passages button needs at least one passage number.');
  return id;
}

/** @throws RangeError when the answer id is not 1–64 URL-safe characters. */
export function encodeVoteId(vote: Vote, answerId: string): string {
  if (!ANSWER_ID.test(answerId)) throw new RangeError(`Invalid answer id: ${JSON.stringify(answerId)}`);
  return `vote:${vote}:${answerId}`;
}

/** What a button's custom id asks for; undefined for ids this bot did not make (or made malformed). */
export function parseCustomId(customId: string): ButtonAction | undefined {
  const passages = /^passages:(\d+(?:,\d+)*)$/.exec(customId);
  if (passages?.[1]) {
    const numbers = passages[1].split(',').map(Number);
    if (numbers.some((n) => !Number.isSafeInteger(n) || n < 1)) return undefined;
    return { kind: 'passages', passages: [...new Set(numbers)] };
  }
  const vote = /^vote:(up|down):(.+)$/.exec(customId);
  if (vote?.[1] && vote[2] && ANSWER_ID.test(vote[2])) {
    return { kind: 'vote', vote: vote[1] as Vote, answerId: vote[2] };
  }
  return undefined;
}
