import { describe, expect, it } from 'vitest';
import { CUSTOM_ID_MAX, encodePassagesId, encodeVoteId, newAnswerId, parseCustomId } from '../../src/discord/custom-ids.js';

describe('custom ids', () => {
  it('round-trips passage lists in order', () => {
    const id = encodePassagesId([12, 14, 3]);
    expect(id).toBe('passages:12,14,3');
    expect(parseCustomId(id)).toEqual({ kind: 'passages', passages: [12, 14, 3] });
  });

  it('drops duplicates and invalid numbers, and refuses an empty list', () => {
    expect(encodePassagesId([3, 3, 0, -1, 1.5, 7])).toBe('passages:3,7');
    expect(() => encodePassagesId([])).toThrow(RangeError);
  });

  it('stays within 100 characters however many passages are cited', () => {
    const id = encodePassagesId(Array.from({ length: 60 }, (_, i) => 1000 + i));
    expect(id.length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
    expect(parseCustomId(id)?.kind).toBe('passages');
  });

  it('round-trips votes with a fresh answer id', () => {
    const answerId = newAnswerId();
    expect(answerId).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(parseCustomId(encodeVoteId('up', answerId))).toEqual({ kind: 'vote', vote: 'up', answerId });
    expect(parseCustomId(encodeVoteId('down', answerId))).toEqual({ kind: 'vote', vote: 'down', answerId });
    expect(encodeVoteId('down', answerId).length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
  });

  it('rejects ids it did not make', () => {
    for (const id of ['', 'passages:', 'passages:0', 'passages:a,b', 'vote:sideways:abc', 'vote:up:', 'vote:up:has space', 'other:1']) {
      expect(parseCustomId(id)).toBeUndefined();
    }
    expect(() => encodeVoteId('up', 'bad id')).toThrow(RangeError);
  });
});
