/**
 * Event-driven waiting: an append-only log whose waiters resolve the moment a matching entry is
 * pushed. A timeout only guards against a hang; when it fires the rejection lists what was seen.
 */

export interface WaitOptions {
  /** Hang guard in ms (default: the fake's `defaultTimeoutMs`, 10 000 unless configured). */
  readonly timeoutMs?: number;
}

/** Rejection of a waiter whose hang guard fired; `message` lists what the log saw. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/** Rejection of every pending waiter when the fake server is closed. */
export class FakeDiscordClosedError extends Error {
  override readonly name = 'FakeDiscordClosedError';
}

interface Waiter<T> {
  offer(item: T): boolean;
  fail(error: Error): void;
}

export interface LogWaitOptions extends WaitOptions {
  /** Consider entries pushed before the call (default false: only later ones). */
  readonly includePast?: boolean;
  /** What is awaited, for the timeout message. */
  readonly what?: string;
}

export class EventLog<T> {
  readonly #items: T[] = [];
  readonly #waiters = new Set<Waiter<T>>();
  #closed: Error | undefined;

  constructor(
    readonly name: string,
    private readonly describe: (item: T) => string,
    private readonly defaultTimeoutMs: () => number,
  ) {}

  get items(): readonly T[] {
    return this.#items;
  }

  push(item: T): void {
    this.#items.push(item);
    for (const waiter of [...this.#waiters]) {
      if (waiter.offer(item)) this.#waiters.delete(waiter);
    }
  }

  /**
   * Resolves with `map(entry)` for the first entry satisfying `predicate` (past entries first when
   * `includePast`); `map` may throw to reject (e.g. "the interaction expired").
   */
  wait<R = T>(predicate: (item: T) => boolean, options: LogWaitOptions = {}, map?: (item: T) => R): Promise<R> {
    const convert = map ?? ((item: T) => item as unknown as R);
    if (options.includePast) {
      const found = this.#items.find(predicate);
      if (found !== undefined) {
        try {
          return Promise.resolve(convert(found));
        } catch (error) {
          return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    }
    if (this.#closed) return Promise.reject(this.#closed);
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs();
    const startedAt = this.#items.length;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new WaitTimeoutError(this.#timeoutMessage(options.what ?? 'a matching entry', timeoutMs, startedAt)));
      }, timeoutMs);
      timer.unref();
      const waiter: Waiter<T> = {
        offer: (item) => {
          if (!predicate(item)) return false;
          clearTimeout(timer);
          try {
            resolve(convert(item));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
          return true;
        },
        fail: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** Rejects every pending waiter, and every later one, with `error`. */
  close(error: Error): void {
    this.#closed = error;
    for (const waiter of this.#waiters) waiter.fail(error);
    this.#waiters.clear();
  }

  #timeoutMessage(what: string, timeoutMs: number, startedAt: number): string {
    const lines = this.#items.map((item, i) => `${i < startedAt ? '  (before) ' : '  '}${this.describe(item)}`);
    const shown = lines.length > 30 ? ['  …', ...lines.slice(-30)] : lines;
    return [
      `Timed out after ${timeoutMs} ms waiting for ${what} in ${this.name}.`,
      shown.length ? `Seen (${lines.length}):` : `Nothing was seen in ${this.name}.`,
      ...shown,
    ].join('\n');
  }
}

/** A short, one-line preview of a text for diagnostics. */
export function preview(text: unknown, max = 80): string {
  const s = typeof text === 'string' ? text : JSON.stringify(text) ?? String(text);
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
