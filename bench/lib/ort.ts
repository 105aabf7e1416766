import * as ort from 'onnxruntime-node';

/**
 * Direct access to onnxruntime-node for the floor measurements. The floor must use the same ONNX
 * file and the same session options as transformers.js; rather than copying them from
 * node_modules/@huggingface/transformers/src/backends/onnx.js (`{ logSeverityLevel, ...session_options }`
 * with `executionProviders: ['cpu']`, the model file given as a path), they are captured from the
 * `InferenceSession.create` call transformers.js makes, so a change there cannot go unnoticed.
 */

export interface CapturedSession {
  /** The model file (transformers.js passes a path on Node). */
  readonly source: string;
  /** The options transformers.js passed to `InferenceSession.create`. */
  readonly options: ort.InferenceSession.SessionOptions;
  readonly session: ort.InferenceSession;
}

type CreateFn = (...args: unknown[]) => Promise<ort.InferenceSession>;

/** Records every session created from now on (transformers.js loads onnxruntime-node with require: same class). */
export function captureSessions(): { readonly sessions: CapturedSession[]; restore(): void } {
  const Session = ort.InferenceSession as unknown as { create: CreateFn };
  const original = Session.create;
  const sessions: CapturedSession[] = [];
  Session.create = async function (this: unknown, ...args: unknown[]) {
    const session = await original.apply(this, args);
    const [source, options] = args;
    sessions.push({
      source: typeof source === 'string' ? source : '<buffer>',
      options: (options && typeof options === 'object' ? { ...options } : {}) as ort.InferenceSession.SessionOptions,
      session,
    });
    return session;
  };
  return {
    sessions,
    restore() {
      Session.create = original;
    },
  };
}

/** A new, independent session on the same file with the same options. */
export function createSession(captured: CapturedSession): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(captured.source, captured.options);
}

export type Feeds = Record<string, ort.Tensor>;

interface EncodedTensor {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** onnxruntime tensors for the session's inputs from what the transformers.js tokenizer returned. */
export function toFeeds(session: ort.InferenceSession, encoded: Record<string, EncodedTensor>): Feeds {
  const feeds: Feeds = {};
  for (const name of session.inputNames) {
    const t = encoded[name];
    if (!t) throw new Error(`the tokenizer gave no "${name}" input`);
    feeds[name] = new ort.Tensor(t.type as 'int64', t.data as BigInt64Array, [...t.dims]);
  }
  return feeds;
}

/** Rows of a feed (the batch size). */
export function batchSize(feeds: Record<string, { readonly dims: readonly number[] }>): number {
  return Object.values(feeds)[0]?.dims[0] ?? 0;
}

/** The options as JSON (the ones that matter are plain values). */
export function describeOptions(options: ort.InferenceSession.SessionOptions): Record<string, unknown> {
  return JSON.parse(JSON.stringify(options)) as Record<string, unknown>;
}

export { ort };
