import { createHash, randomBytes } from 'node:crypto';
import type { Library } from '../core/library.js';
import type { Article } from '../core/types.js';

/**
 * Button custom ids carry everything needed to act on a click, so buttons keep working after a
 * restart (the bot keeps no state a click depends on):
 *
 * - `passages:<article ref>:12,14,3` — show these passages of that article in full
 *   (`passages:12,14,3`, from before the library had several articles, means the only one);
 * - `vote:up:<answerId>` / `vote:down:<answerId>` — record feedback on one answer;
 * - `library:<page>` — show that page of the list of articles.
 *
 * Discord limits a custom id to 100 characters; article ids can be longer, so a button names its
 * article by a short reference derived from the id (see `articleRef`).
 */

export const CUSTOM_ID_MAX = 100;

export type Vote = 'up' | 'down';

export type ButtonAction =
  /** `article` is the article's reference (`articleRef`), undefined on buttons made before there were several. */
  | { readonly kind: 'passages'; readonly article: string | undefined; readonly passages: readonly number[] }
  | { readonly kind: 'vote'; readonly vote: Vote; readonly answerId: string }
  | { readonly kind: 'library'; readonly page: number };

const ANSWER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ARTICLE_REF = /^[A-Za-z0-9_-]{8}$/;

/**
 * A short name for an article that fits in any custom id and survives restarts: the first 48
 * bits of the sha256 of its id, in 8 URL-safe characters. It depends on the id alone, so it is
 * the same in every process and after the article is replaced; two articles of one library share
 * one with a chance of about n²/2⁴⁹ (one in a billion for 500 articles).
 */
export function articleRef(articleId: string): string {
  return createHash('sha256').update(articleId).digest().subarray(0, 6).toString('base64url');
}

/** The article of the library a reference names, if it is still there. */
export function findArticleByRef(library: Library, ref: string): Article | undefined {
  if (!ARTICLE_REF.test(ref)) return undefined;
  return library.articles.find((a) => articleRef(a.id) === ref);
}

/** A short random id naming one answer (8 URL-safe characters, 48 bits). */
export function newAnswerId(): string {
  return randomBytes(6).toString('base64url');
}

/**
 * `passages:<ref>:12,14,3` for passages of the article `articleId`, keeping order, without
 * duplicates or non-positive numbers; numbers that would push the id past 100 characters are
 * left out.
 * @throws RangeError when no valid passage number is given (such a button would do nothing).
 */
export function encodePassagesId(articleId: string, passages: readonly number[]): string {
  let id = `passages:${articleRef(articleId)}:`;
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

/** `library:<page>`: a page (1-based) of the list of articles. @throws RangeError for a page below 1. */
export function encodeLibraryPageId(page: number): string {
  if (!Number.isSafeInteger(page) || page < 1) throw new RangeError(`Invalid page: ${page}`);
  return `library:${page}`;
}

/** What a button's custom id asks for; undefined for ids this bot did not make (or made malformed). */
export function parseCustomId(customId: string): ButtonAction | undefined {
  const passages = /^passages:(?:([A-Za-z0-9_-]{8}):)?(\d+(?:,\d+)*)$/.exec(customId);
  if (passages?.[2]) {
    const numbers = passages[2].split(',').map(Number);
    if (numbers.some((n) => !Number.isSafeInteger(n) || n < 1)) return undefined;
    return { kind: 'passages', article: passages[1], passages: [...new Set(numbers)] };
  }
  const page = /^library:(\d{1,6})$/.exec(customId);
  if (page?.[1] && Number(page[1]) >= 1) return { kind: 'library', page: Number(page[1]) };
  const vote = /^vote:(up|down):(.+)$/.exec(customId);
  if (vote?.[1] && vote[2] && ANSWER_ID.test(vote[2])) {
    return { kind: 'vote', vote: vote[1] as Vote, answerId: vote[2] };
  }
  return undefined;
}
