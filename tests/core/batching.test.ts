import { describe, expect, it } from 'vitest';
import { withQueryBatching } from '../../src/core/batching.js';
import type { Embedder } from '../../src/core/types.js';

/** A hand-written embedder that records each forward pass and lets the test decide when it ends. */
function recordingEmbedder() {
  const passes: string[][] = [];
  const gates: Array<() => void> = [];
  const embedder: Embedder = {
    fingerprint: { model: 'recording', dtype: 'fp32', pooling: 'mean', queryPrefix: '', dimension: 1 },
    embedDocuments: async (texts) => texts.map(() => new Float32Array([0])),
    async embedQueries(texts) {
      passes.push([...texts]);
      await new Promise<void>((resolve) => gates.push(resolve));
      return texts.map((t) => new Float32Array([t.length]));
    },
  };
  const releaseNext = () => gates.shift()?.();
  return { embedder, passes, releaseNext, waitingPasses: () => gates.length };
}

describe('withQueryBatching', () => {
  it('sends questions that arrive together in one forward pass, each getting its own vector', async () => {
    const { embedder, passes, releaseNext } = recordingEmbedder();
    const batched = withQueryBatching(embedder);
    const answers = Promise.all(['a', 'bb', 'ccc'].map((q) => batched.embedQueries([q])));
    await new Promise((resolve) => setImmediate(resolve));
    releaseNext();
    const vectors = await answers;
    expect(passes).toEqual([['a', 'bb', 'ccc']]);
    expect(vectors.map(([v]) => v![0])).toEqual([1, 2, 3]);
  });

  it('queues questions that arrive during a pass for the next one, up to maxBatch', async () => {
    const { embedder, passes, releaseNext } = recordingEmbedder();
    const batched = withQueryBatching(embedder, { maxBatch: 2 });
    const first = batched.embedQueries(['first']);
    await new Promise((resolve) => setImmediate(resolve));
    const later = ['x', 'y', 'z'].map((q) => batched.embedQueries([q]));
    releaseNext();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    releaseNext();
    await Promise.all(later.slice(0, 2));
    await new Promise((resolve) => setImmediate(resolve));
    releaseNext();
    await Promise.all(later);
    expect(passes).toEqual([['first'], ['x', 'y'], ['z']]);
  });

  it('rejects every question of a failed pass and keeps serving later ones', async () => {
    let fail = true;
    const embedder: Embedder = {
      fingerprint: { model: 'flaky', dtype: 'fp32', pooling: 'mean', queryPrefix: '', dimension: 1 },
      embedDocuments: async () => [],
      embedQueries: async (texts) => {
        if (fail) throw new Error('model crashed');
        return texts.map(() => new Float32Array([1]));
      },
    };
    const batched = withQueryBatching(embedder);
    await expect(Promise.all([batched.embedQueries(['a']), batched.embedQueries(['b'])])).rejects.toThrow('model crashed');
    fail = false;
    await expect(batched.embedQueries(['c'])).resolves.toHaveLength(1);
  });
});
