import type { Embedder } from './types.js';

export interface QueryBatchingOptions {
  /** Most questions embedded in one forward pass. */
  readonly maxBatch?: number;
}

interface Pending {
  readonly text: string;
  readonly resolve: (vector: Float32Array) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Coalesces questions that arrive together into one batched forward pass.
 *
 * A lone question is sent at the next turn of the event loop (no timer, so it waits for nothing).
 * While a pass is running, new questions queue; when it ends they all go in the next pass, up
 * to `maxBatch`. Under load this keeps the model busy with full batches; when idle it adds
 * nothing but one `setImmediate`.
 */
export function withQueryBatching(embedder: Embedder, { maxBatch = 16 }: QueryBatchingOptions = {}): Embedder {
  const queue: Pending[] = [];
  let running = false;
  let scheduled = false;

  const schedule = () => {
    if (running || scheduled || queue.length === 0) return;
    scheduled = true;
    setImmediate(run);
  };

  const run = async () => {
    scheduled = false;
    running = true;
    const batch = queue.splice(0, maxBatch);
    try {
      const vectors = await embedder.embedQueries(batch.map((p) => p.text));
      batch.forEach((p, i) => p.resolve(vectors[i]!));
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      running = false;
      schedule();
    }
  };

  return {
    fingerprint: embedder.fingerprint,
    embedDocuments: (texts) => embedder.embedDocuments(texts),
    embedQueries(texts) {
      return Promise.all(
        texts.map(
          (text) =>
            new Promise<Float32Array>((resolve, reject) => {
              queue.push({ text, resolve, reject });
              schedule();
            }),
        ),
      );
    },
  };
}
