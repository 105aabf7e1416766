import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Vote } from './custom-ids.js';

/**
 * 👍/👎 feedback in an append-only JSON-lines file: one record per click, never rewritten.
 *
 * A second click by the same user on the same answer does not edit the file: it appends a newer
 * record. Readers must therefore take **the last record per (answerId, userId)** — `currentVotes`
 * does exactly that, and `summarizeFeedback` counts only those.
 *
 * Each record is serialised to one line and written with a single `write` on a file opened in
 * append mode, one write at a time through a queue, so concurrent clicks never interleave within
 * a line and a crash loses at most the line being written (readers skip a partial last line; the
 * next run starts a new line after it).
 */

export interface FeedbackCitation {
  readonly passage: number;
  /** null when the record was rebuilt from the answer message after a restart. */
  readonly score: number | null;
  readonly quote: string;
}

export interface FeedbackRecord {
  /** ISO 8601. */
  readonly time: string;
  readonly userId: string;
  readonly vote: Vote;
  readonly question: string;
  readonly answer: string;
  readonly citations: readonly FeedbackCitation[];
  /** Id of the article the answer (and its ¶ numbers) came from, when known. */
  readonly article?: string | undefined;
  readonly answerId: string;
  readonly messageId: string;
  /** null in direct messages. */
  readonly guildId: string | null;
  readonly channelId: string;
}

export interface FeedbackStore {
  readonly path: string;
  /**
   * Appends one record; resolves once it is written.
   * @throws Error when the store is closed, or the folder/file cannot be created or written.
   */
  record(record: FeedbackRecord): Promise<void>;
  /** Resolves when every record queued so far is written and synced to disk. */
  flush(): Promise<void>;
  /** Flushes, then closes the file; later `record` calls reject. Safe to call twice. */
  close(): Promise<void>;
}

/** The operations the store performs on its open file (a `FileHandle` has them all). */
export type FeedbackFile = Pick<FileHandle, 'write' | 'read' | 'stat' | 'datasync' | 'close'>;

export interface FeedbackStoreOptions {
  /**
   * Opens the file for reading and appending (default `fs.open(path, 'a+')`). Tests pass a wrapper
   * to make a write slow, which is how the write queue's ordering becomes observable.
   */
  readonly openFile?: (filePath: string) => Promise<FeedbackFile>;
}

/**
 * A store appending to `filePath`. Nothing touches the disk until the first record: the folder is
 * created then (recursively) and the file opened in append mode.
 *
 * Records are written one at a time, in the order `record` was called, each only after the one
 * before it is written: a vote and its replacement by the same user (which readers resolve as
 * "the last line wins") land in click order even when the first write is slow.
 */
export function openFeedbackStore(filePath: string, { openFile = (p) => open(p, 'a+') }: FeedbackStoreOptions = {}): FeedbackStore {
  let handle: FeedbackFile | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;

  const fileHandle = async (): Promise<FeedbackFile> => {
    if (!handle) {
      await mkdir(path.dirname(filePath), { recursive: true });
      const file = await openFile(filePath);
      try {
        await endPartialLine(file);
      } catch (error) {
        await file.close().catch(() => undefined);
        throw error;
      }
      handle = file;
    }
    return handle;
  };

  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task);
    // The queue carries on after a failed write; the failure goes to that write's caller.
    tail = run.catch(() => undefined);
    return run;
  };

  return {
    path: filePath,
    record(record) {
      if (closed) return Promise.reject(new Error('The feedback store is closed.'));
      const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
      return enqueue(async () => {
        const file = await fileHandle();
        let written = 0;
        // One write in practice; the loop only guards against a short write (e.g. disk nearly full).
        while (written < line.length) {
          const { bytesWritten } = await file.write(line, written, line.length - written);
          written += bytesWritten;
        }
      });
    },
    flush() {
      return enqueue(async () => {
        await handle?.datasync();
      });
    },
    async close() {
      closed = true;
      await enqueue(async () => {
        const file = handle;
        handle = undefined;
        if (file) {
          await file.datasync().catch(() => undefined);
          await file.close();
        }
      });
    },
  };
}

/**
 * A crash mid-write can leave the file ending inside a line; the first record appended after it
 * would be glued to that fragment and lost with it. End the fragment's line first.
 */
async function endPartialLine(file: FeedbackFile): Promise<void> {
  const { size } = await file.stat();
  if (size === 0) return;
  const last = Buffer.alloc(1);
  await file.read(last, 0, 1, size - 1);
  if (last[0] !== 0x0a) await file.write('\n');
}

/**
 * Every record in the file, in the order written. A missing file is no feedback yet; lines that
 * are not a whole JSON record (a crash mid-write) are skipped and counted.
 */
export async function readFeedback(filePath: string): Promise<{ records: FeedbackRecord[]; skipped: number }> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: 0 };
    throw error;
  }
  const records: FeedbackRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isFeedbackRecord(value)) records.push(value);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
}

function isFeedbackRecord(value: unknown): value is FeedbackRecord {
  if (!value || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r['answerId'] === 'string' &&
    typeof r['userId'] === 'string' &&
    (r['vote'] === 'up' || r['vote'] === 'down') &&
    typeof r['time'] === 'string' &&
    Array.isArray(r['citations'])
  );
}

/**
 * The vote that counts for each (answerId, userId): the last one written. Returned in the order
 * those deciding votes were cast.
 */
export function currentVotes(records: readonly FeedbackRecord[]): FeedbackRecord[] {
  const latest = new Map<string, FeedbackRecord>();
  for (const record of records) {
    const key = `${record.answerId}\u0000${record.userId}`;
    // Delete first so the map's order follows the deciding vote, not the first one.
    latest.delete(key);
    latest.set(key, record);
  }
  return [...latest.values()];
}

export interface FeedbackSummary {
  readonly up: number;
  readonly down: number;
  /** Per answer, counting each user's current vote once. */
  readonly answers: ReadonlyMap<string, { readonly question: string; readonly up: number; readonly down: number }>;
}

/** Counts current votes only: a user who changed 👍 to 👎 counts as one 👎. */
export function summarizeFeedback(records: readonly FeedbackRecord[]): FeedbackSummary {
  const answers = new Map<string, { question: string; up: number; down: number }>();
  let up = 0;
  let down = 0;
  for (const record of currentVotes(records)) {
    const entry = answers.get(record.answerId) ?? { question: record.question, up: 0, down: 0 };
    if (record.vote === 'up') {
      entry.up++;
      up++;
    } else {
      entry.down++;
      down++;
    }
    answers.set(record.answerId, entry);
  }
  return { up, down, answers };
}
