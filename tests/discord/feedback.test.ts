import { mkdtemp, open, readFile, rm, writeFile, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentVotes, openFeedbackStore, readFeedback, summarizeFeedback, type FeedbackFile, type FeedbackRecord } from '../../src/discord/feedback.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'feedback-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function vote(overrides: Partial<FeedbackRecord> = {}): FeedbackRecord {
  return {
    time: new Date(0).toISOString(),
    userId: '111111111111111111',
    vote: 'up',
    question: 'Who took control of the refineries?',
    answer: 'On Friday, the German government took control of three refineries.',
    citations: [{ passage: 15, score: 1, quote: 'On Friday, the German government took control of three refineries.' }],
    answerId: 'abcDEF12',
    messageId: '222222222222222222',
    guildId: '333333333333333333',
    channelId: '444444444444444444',
    ...overrides,
  };
}

/**
 * A disk whose first write waits until the test releases it; later writes go straight through.
 * The store's queue must keep them behind the first, as a slow disk would not.
 */
class SlowFirstWrite {
  readonly #gate: Promise<void>;
  #open!: () => void;
  #started!: () => void;
  readonly firstWriteStarted: Promise<void>;
  readonly #others: Promise<unknown>[] = [];
  #writes = 0;

  constructor() {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
    this.firstWriteStarted = new Promise((resolve) => (this.#started = resolve));
  }

  wrap(real: FileHandle): FeedbackFile {
    const write = (...args: unknown[]) => (real.write as (...a: unknown[]) => Promise<unknown>)(...args);
    return {
      write: (async (...args: unknown[]) => {
        if (this.#writes++ > 0) {
          const written = write(...args);
          this.#others.push(written);
          return written;
        }
        this.#started();
        await this.#gate;
        return write(...args);
      }) as FileHandle['write'],
      read: real.read.bind(real) as FileHandle['read'],
      stat: real.stat.bind(real) as FileHandle['stat'],
      datasync: () => real.datasync(),
      close: () => real.close(),
    };
  }

  /** Every write that went past the slow one has finished. */
  async otherWritesSettled(): Promise<void> {
    await Promise.allSettled(this.#others);
  }

  release(): void {
    this.#open();
  }
}

describe('feedback store', () => {
  it('creates the folder and appends one JSON line per vote', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'feedback.jsonl');
    const store = openFeedbackStore(file);
    await store.record(vote());
    await store.record(vote({ vote: 'down', userId: '555555555555555555' }));
    await store.close();
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual(vote());
  });

  it('never interleaves concurrent votes: every line is a whole record', async () => {
    const file = path.join(dir, 'feedback.jsonl');
    const store = openFeedbackStore(file);
    // Long, multi-line text makes any interleaving or broken line visible.
    const long = 'A long answer line\nwith a newline and "quotes" — '.repeat(200);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.record(vote({ userId: String(i), answerId: `a${i % 7}`, answer: long }))),
    );
    await store.flush();
    const { records, skipped } = await readFeedback(file);
    expect(skipped).toBe(0);
    expect(records).toHaveLength(200);
    expect(new Set(records.map((r) => r.userId)).size).toBe(200);
    expect(records.every((r) => r.answer === long)).toBe(true);
    await store.close();
  });

  it('writes a vote and its replacement in click order even when the first write is slow', async () => {
    const file = path.join(dir, 'feedback.jsonl');
    const disk = new SlowFirstWrite();
    const store = openFeedbackStore(file, { openFile: async (p) => disk.wrap(await open(p, 'a+')) });

    const up = store.record(vote({ vote: 'up' }));
    await disk.firstWriteStarted; // 👍 is on its way to a slow disk…
    const down = store.record(vote({ vote: 'down' })); // …when the same user changes it to 👎.
    // Anything not waiting for the 👍 to be written starts within this turn of the event loop…
    await new Promise((resolve) => setImmediate(resolve));
    // …and is on disk before the slow write finishes.
    await disk.otherWritesSettled();
    disk.release();
    await Promise.all([up, down]);
    await store.close();

    const { records } = await readFeedback(file);
    expect(records.map((r) => r.vote)).toEqual(['up', 'down']);
    expect(currentVotes(records).map((r) => r.vote)).toEqual(['down']);
  });

  it('a second vote by the same user on the same answer replaces the first', async () => {
    const file = path.join(dir, 'feedback.jsonl');
    const store = openFeedbackStore(file);
    await store.record(vote({ vote: 'up', time: '2024-01-01T00:00:00.000Z' }));
    await store.record(vote({ vote: 'up', userId: 'other' }));
    await store.record(vote({ vote: 'down', time: '2024-01-01T00:01:00.000Z' }));
    await store.close();

    const { records } = await readFeedback(file);
    expect(records).toHaveLength(3); // append-only: the history stays
    const current = currentVotes(records);
    expect(current).toHaveLength(2);
    expect(current.find((r) => r.userId === vote().userId)?.vote).toBe('down');
    const summary = summarizeFeedback(records);
    expect({ up: summary.up, down: summary.down }).toEqual({ up: 1, down: 1 });
    expect(summary.answers.get('abcDEF12')).toEqual({ question: vote().question, up: 1, down: 1 });
  });

  it('rejects votes after close, and close twice is harmless', async () => {
    const store = openFeedbackStore(path.join(dir, 'feedback.jsonl'));
    await store.close();
    await store.close();
    await expect(store.record(vote())).rejects.toThrow(/closed/);
  });

  it('reads a missing file as no feedback and skips a torn last line', async () => {
    expect(await readFeedback(path.join(dir, 'none.jsonl'))).toEqual({ records: [], skipped: 0 });
    const file = path.join(dir, 'torn.jsonl');
    await writeFile(file, `${JSON.stringify(vote())}\n{"time":"2024-`);
    const { records, skipped } = await readFeedback(file);
    expect(records).toHaveLength(1);
    expect(skipped).toBe(1);
  });

  it('a failed write reaches its caller, and the store recovers once the problem is fixed', async () => {
    // A file where the folder should be: creating the folder fails.
    await writeFile(path.join(dir, 'not-a-folder'), '');
    const store = openFeedbackStore(path.join(dir, 'not-a-folder', 'feedback.jsonl'));
    await expect(store.record(vote())).rejects.toThrow();
    await expect(store.record(vote())).rejects.toThrow();
    await rm(path.join(dir, 'not-a-folder'));
    await store.record(vote());
    await store.close();
    expect((await readFeedback(path.join(dir, 'not-a-folder', 'feedback.jsonl'))).records).toHaveLength(1);
  });
});
