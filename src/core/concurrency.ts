/**
 * `fn` over every item with at most `limit` calls in flight; results in the items' order. The
 * first failure rejects (the calls already started finish on their own).
 *
 * Start-up reads a library's files this way: reading a thousand small files one after another
 * waits on the disk a thousand times, while a few reads in flight keep it busy without opening
 * every file at once.
 */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
