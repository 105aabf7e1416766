import { existsSync } from 'node:fs';
import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline, type ProgressInfo, type Tensor } from '@huggingface/transformers';
import type { Embedder, EmbedderFingerprint } from '../core/types.js';
import { resolveModelSettings } from './models.js';
import { createQuestionEncoder, type Encoded } from './question-encoder.js';

export interface TransformersEmbedderOptions {
  /** Hub id (e.g. "Snowflake/snowflake-arctic-embed-xs") or a local folder path. */
  readonly model: string;
  readonly dtype: string | undefined;
  readonly pooling: 'cls' | 'mean' | undefined;
  readonly queryPrefix: string | undefined;
  /** Where downloaded model files are cached. */
  readonly cacheDir: string;
  /** Another host serving the hub's file layout (a mirror); default the Hugging Face hub. */
  readonly remoteHost?: string | undefined;
  /** Gives up on loading after this long (a stalled download must not hang start-up). */
  readonly timeoutMs: number;
  readonly onProgress?: ((info: ProgressInfo) => void) | undefined;
}

/** The model could not be obtained or run; `message` is one actionable line. */
export class ModelUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ModelUnavailableError';
  }
}

const DEFAULT_REMOTE_HOST = 'https://huggingface.co/';

/**
 * Loads a feature-extraction model with transformers.js (ONNX Runtime on the CPU) and wraps it
 * as an `Embedder`. Called once by the composition root.
 * @throws ModelUnavailableError when the model cannot be downloaded, found or run.
 */
export async function createTransformersEmbedder(options: TransformersEmbedderOptions): Promise<Embedder> {
  const local = isLocalFolder(options.model);
  const settings = resolveModelSettings(options);
  let dtype = settings.dtype;
  if (local && options.dtype === undefined && !existsSync(path.join(options.model, 'onnx', 'model_quantized.onnx'))) {
    // A local folder with only full-precision weights: use them rather than fail on a missing file.
    dtype = 'fp32';
  }

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  timer.unref();
  configureEnvironment(options, local, controller.signal);

  let extractor: FeatureExtractionPipeline;
  try {
    const modelId = local ? path.basename(path.resolve(options.model)) : options.model;
    const loading = pipeline('feature-extraction', modelId, {
      dtype: dtype as never,
      device: 'cpu',
      // Reading a local folder is not a download: no progress to show.
      ...(options.onProgress && !local ? { progress_callback: options.onProgress } : {}),
    });
    extractor = (await Promise.race([
      loading,
      new Promise<never>((_, reject) =>
        controller.signal.addEventListener('abort', () => reject(new Error(`timed out after ${Math.round(options.timeoutMs / 1000)} s`))),
      ),
    ])) as FeatureExtractionPipeline;
  } catch (error) {
    throw new ModelUnavailableError(explainLoadFailure(options, local, error), { cause: error });
  } finally {
    clearTimeout(timer);
  }

  // The pipeline's own steps (tokenize with padding, forward pass), with pooling and
  // normalisation done here in one pass over the rows: the pipeline's generic tensor ops cost
  // more than the rest of the answer path. Results are bit-identical to
  // `extractor(texts, { pooling, normalize: true })`.
  const session = encoderSession(extractor);
  // Cleared by the warm-up pass when the model's output is unusual (fp16 …): from then on only the
  // pipeline's generic path runs, so no question pays for two forward passes.
  let direct = true;
  const forward = async (inputs: Encoded, texts: () => string[]): Promise<Float32Array[]> => {
    if (direct) {
      // An encoder's one onnxruntime session is run directly when the inputs cover it: the model
      // wrapper would only pick the same inputs, re-validate them and re-wrap the outputs.
      const outputs = (
        session && session.inputNames.every((name) => inputs[name])
          ? await session.run(Object.fromEntries(session.inputNames.map((name) => [name, inputs[name]!.ort_tensor])))
          : await extractor.model(inputs)
      ) as Record<string, Pick<Tensor, 'type' | 'dims' | 'data'> | undefined>;
      const hidden = outputs['last_hidden_state'] ?? outputs['logits'] ?? outputs['token_embeddings'];
      if (hidden?.type === 'float32' && hidden.dims.length === 3) return poolAndNormalize(hidden, inputs.attention_mask, settings.pooling);
      direct = false;
    }
    // Anything unusual (fp16 outputs …): the pipeline's generic path.
    const output = await extractor(texts(), { pooling: settings.pooling, normalize: true });
    const [rows, dimension] = output.dims as [number, number];
    const data = output.data as Float32Array;
    // Copies, so callers own their vectors and the tensor's buffer can be released.
    return Array.from({ length: rows }, (_, i) => data.slice(i * dimension, (i + 1) * dimension));
  };
  const run = async (texts: readonly string[]): Promise<Float32Array[]> => {
    if (texts.length === 0) return [];
    return forward(extractor.tokenizer([...texts], { padding: true, truncation: true }) as unknown as Encoded, () => [...texts]);
  };
  // A question usually comes alone: tokenized without the general tokenizer's overhead (see question-encoder.ts).
  const encodeQuestion = createQuestionEncoder(extractor.tokenizer, settings.queryPrefix);
  const embedQueries = async (texts: readonly string[]): Promise<Float32Array[]> => {
    const question = texts.length === 1 ? texts[0]! : undefined;
    const encoded = question !== undefined && encodeQuestion ? encodeQuestion(question) : undefined;
    if (encoded) return forward(encoded, () => [settings.queryPrefix + question]);
    return run(texts.map((t) => settings.queryPrefix + t));
  };

  // One pass to learn the dimension and to warm ONNX Runtime (its first run is much slower).
  let dimension: number;
  try {
    dimension = (await run(['warm-up']))[0]!.length;
  } catch (error) {
    throw new ModelUnavailableError(`The embedding model "${options.model}" loaded but could not run: ${describe(error)}.`, { cause: error });
  }

  const fingerprint: EmbedderFingerprint = {
    model: local ? `local:${path.basename(path.resolve(options.model))}` : options.model,
    dtype,
    pooling: settings.pooling,
    queryPrefix: settings.queryPrefix,
    dimension,
  };
  return {
    fingerprint,
    embedDocuments: run,
    embedQueries,
  };
}

/** What the embedder needs of an onnxruntime session. */
interface OrtSession {
  readonly inputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, Pick<Tensor, 'type' | 'dims' | 'data'> | undefined>>;
}

/**
 * The onnxruntime session of an encoder-only model (BERT and the like: one session named
 * "model"), or undefined for anything else, which then goes through the model wrapper.
 */
function encoderSession(extractor: FeatureExtractionPipeline): OrtSession | undefined {
  const model = extractor.model as unknown as { sessions?: Record<string, Partial<OrtSession>>; config?: { is_encoder_decoder?: boolean } };
  const sessions = model.sessions;
  if (!sessions || model.config?.is_encoder_decoder || Object.keys(sessions).join() !== 'model') return undefined;
  const session = sessions['model'];
  return session && Array.isArray(session.inputNames) && typeof session.run === 'function' ? (session as OrtSession) : undefined;
}

/**
 * CLS or mean pooling of `hidden` ([rows, tokens, dimension], float32), then L2 normalisation: one
 * new vector per row. Mirrors transformers.js (`mean_pooling`, `Tensor.normalize`) operation for
 * operation, including its float32 rounding, so the vectors are bit-identical to the pipeline's.
 */
export function poolAndNormalize(
  hidden: Pick<Tensor, 'dims' | 'data'>,
  attentionMask: Pick<Tensor, 'data'>,
  pooling: 'cls' | 'mean',
): Float32Array[] {
  const [rows, tokens, dimension] = hidden.dims as [number, number, number];
  const data = hidden.data as Float32Array;
  const mask = attentionMask.data as BigInt64Array;
  const vectors: Float32Array[] = [];
  for (let r = 0; r < rows; r++) {
    const offset = r * tokens * dimension;
    let vector: Float32Array;
    if (pooling === 'cls') {
      vector = data.slice(offset, offset + dimension);
    } else {
      vector = new Float32Array(dimension);
      const maskOffset = r * tokens;
      for (let k = 0; k < dimension; k++) {
        let sum = 0;
        let count = 0;
        for (let t = 0; t < tokens; t++) {
          const attend = Number(mask[maskOffset + t]);
          count += attend;
          sum += data[offset + t * dimension + k]! * attend;
        }
        vector[k] = sum / count;
      }
    }
    // The norm accumulates in float32, as transformers.js does.
    const squares = new Float32Array(1);
    for (let k = 0; k < dimension; k++) squares[0] = squares[0]! + vector[k]! ** 2;
    const norm = Math.fround(squares[0]! ** 0.5);
    // A text with no content left (the test model zeroes stop words) stays a zero vector, not NaN.
    if (norm > 0) for (let k = 0; k < dimension; k++) vector[k] = vector[k]! / norm;
    vectors.push(vector);
  }
  return vectors;
}

function isLocalFolder(model: string): boolean {
  return path.isAbsolute(model) || model.startsWith('.') || existsSync(path.join(model, 'config.json'));
}

/** transformers.js reads its settings from a global; set every one we rely on, every time. */
function configureEnvironment(options: TransformersEmbedderOptions, local: boolean, signal: AbortSignal): void {
  env.cacheDir = options.cacheDir;
  env.useFSCache = true;
  if (local) {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = path.dirname(path.resolve(options.model)) + path.sep;
  } else {
    env.allowLocalModels = false;
    env.allowRemoteModels = true;
    env.remoteHost = withTrailingSlash(options.remoteHost ?? DEFAULT_REMOTE_HOST);
  }
  const baseFetch = globalThis.fetch;
  env.fetch = ((input: string | URL | Request, init?: RequestInit) =>
    baseFetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal })) as typeof fetch;
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function explainLoadFailure(options: TransformersEmbedderOptions, local: boolean, error: unknown): string {
  const reason = describe(error);
  if (local) {
    return `Could not load the embedding model from the folder ${options.model} (${reason}). It needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (or onnx/model_quantized.onnx for q8).`;
  }
  const host = options.remoteHost ?? DEFAULT_REMOTE_HOST;
  return `Could not download the embedding model "${options.model}" from ${host} (${reason}). Check the network connection (or set MODEL_REMOTE_HOST to a mirror), or download the model once and set EMBEDDING_MODEL=/path/to/local/model.`;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`.replace(/\s+/g, ' ').slice(0, 300);
  }
  return String(error);
}
