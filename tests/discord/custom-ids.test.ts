import { describe, expect, it } from 'vitest';
import { createLibrary } from '../../src/core/library.js';
import type { Article } from '../../src/core/types.js';
import { articleRef, CUSTOM_ID_MAX, encodeLibraryPageId, encodePassagesId, encodeVoteId, findArticleByRef, newAnswerId, parseCustomId } from '../../src/discord/custom-ids.js';

const ID = 'us-escalates-conflict-2022-09-16';
const REF = articleRef(ID);

function article(id: string): Article {
  return { id, headline: id, author: undefined, date: undefined, isoDate: undefined, passages: [], contentHash: id };
}

describe('custom ids', () => {
  it('round-trips passage lists in order, with a reference to their article', () => {
    const id = encodePassagesId(ID, [12, 14, 3]);
    expect(id).toBe(`passages:${REF}:12,14,3`);
    expect(parseCustomId(id)).toEqual({ kind: 'passages', article: REF, passages: [12, 14, 3] });
  });

  it('still reads passage buttons made before they named their article', () => {
    expect(parseCustomId('passages:12,14')).toEqual({ kind: 'passages', article: undefined, passages: [12, 14] });
  });

  it('names an article by a reference of 8 characters that is the same in every process, however long the id', () => {
    const long = `${'a-very-long-article-id-'.repeat(10)}2026-03-03`;
    expect(articleRef(long)).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(articleRef(long)).toBe(articleRef(long));
    expect(articleRef(long)).not.toBe(REF);
    const library = createLibrary([article(ID), article(long)]);
    expect(findArticleByRef(library, articleRef(long))?.id).toBe(long);
    expect(findArticleByRef(library, REF)?.id).toBe(ID);
    expect(findArticleByRef(library, articleRef('gone'))).toBeUndefined();
    expect(findArticleByRef(library, 'not a ref')).toBeUndefined();
  });

  it('drops duplicates and invalid numbers, and refuses an empty list', () => {
    expect(encodePassagesId(ID, [3, 3, 0, -1, 1.5, 7])).toBe(`passages:${REF}:3,7`);
    expect(() => encodePassagesId(ID, [])).toThrow(RangeError);
  });

  it('stays within 100 characters however many passages are cited', () => {
    const id = encodePassagesId(ID, Array.from({ length: 60 }, (_, i) => 1000 + i));
    expect(id.length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
    expect(parseCustomId(id)?.kind).toBe('passages');
  });

  it('round-trips pages of the list of articles', () => {
    expect(parseCustomId(encodeLibraryPageId(3))).toEqual({ kind: 'library', page: 3 });
    expect(() => encodeLibraryPageId(0)).toThrow(RangeError);
  });

  it('round-trips votes with a fresh answer id', () => {
    const answerId = newAnswerId();
    expect(answerId).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(parseCustomId(encodeVoteId('up', answerId))).toEqual({ kind: 'vote', vote: 'up', answerId });
    expect(parseCustomId(encodeVoteId('down', answerId))).toEqual({ kind: 'vote', vote: 'down', answerId });
    expect(encodeVoteId('down', answerId).length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
  });

  it('rejects ids it did not make', () => {
    for (const id of ['', 'passages:', 'passages:0', 'passages:a,b', 'passages:short:1', 'library:0', 'library:x', 'vote:sideways:abc', 'vote:up:', 'vote:up:has space', 'other:1']) {
      expect(parseCustomId(id)).toBeUndefined();
    }
    expect(() => encodeVoteId('up', 'bad id')).toThrow(RangeError);
  });
});
