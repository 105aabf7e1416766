/**
 * Generates a small but real BERT encoder in the layout transformers.js loads (config.json,
 * tokenizer.json, tokenizer_config.json, onnx/model.onnx and optionally onnx/model_quantized.onnx),
 * so tests and benchmarks can run the genuine pipeline without the Hugging Face hub.
 *
 * - mode 'bag-of-words': every transformer block is an identity (its output projections are zero,
 *   so each residual + LayerNorm(gamma=1, beta=0) passes the input through), position and
 *   token-type embeddings are zero, and special tokens, punctuation and `zeroToken` tokens have
 *   zero word vectors. With mean pooling + normalisation a sentence vector is then the normalised
 *   sum of its content words' (LayerNormed) random vectors, so shared words mean high cosine.
 * - mode 'random': BERT-style initialisation (N(0, 0.02) weights), for speed benchmarks.
 *
 * Output is deterministic: every tensor is drawn from its own seeded PRNG stream.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { mulberry32 } from '../random.js';
import { GraphBuilder, attr, writeOnnxModel, type OnnxValueInfo } from './onnx-writer.js';

/** Bump when the generated files change for the same options (invalidates on-disk caches). */
export const GENERATOR_VERSION = 1;

export interface BertModelOptions {
  readonly vocab: readonly string[];
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly intermediateSize: number;
  readonly maxPositions: number;
  readonly seed: number;
  readonly mode: 'bag-of-words' | 'random';
  /** bag-of-words mode: tokens whose word vector must be zero (e.g. stop words). */
  readonly zeroToken?: (token: string) => boolean;
  /** Also write onnx/model_quantized.onnx (dynamic uint8 quantization of the MatMul weights). */
  readonly quantized?: boolean;
}

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
const LAYER_NORM_EPS = 1e-12;
const INIT_STD = 0.02;
const TYPE_VOCAB_SIZE = 2;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A Float32Array of N(0, std²) samples from the stream named `name` under `seed`. */
function normal(seed: number, name: string, length: number, std: number): Float32Array {
  const rng = mulberry32((fnv1a(name) ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0);
  const out = new Float32Array(length);
  const twoPi = 2 * Math.PI;
  for (let i = 0; i < length; i += 2) {
    const u1 = 1 - rng(); // (0, 1]
    const u2 = rng();
    const r = Math.sqrt(-2 * Math.log(u1)) * std;
    out[i] = r * Math.cos(twoPi * u2);
    if (i + 1 < length) out[i + 1] = r * Math.sin(twoPi * u2);
  }
  return out;
}

const filled = (length: number, value: number): Float32Array => new Float32Array(length).fill(value);

// ---------------------------------------------------------------------------------------------
// Weights

interface Dense {
  /** Row-major [in, out], the layout ONNX MatMul(x, W) expects. */
  readonly w: Float32Array;
  readonly b: Float32Array;
  readonly inDim: number;
  readonly outDim: number;
}

interface Norm {
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
}

interface Layer {
  readonly query: Dense;
  readonly key: Dense;
  readonly value: Dense;
  readonly attentionOutput: Dense;
  readonly attentionNorm: Norm;
  readonly intermediate: Dense;
  readonly output: Dense;
  readonly outputNorm: Norm;
}

interface Weights {
  readonly word: Float32Array;
  readonly position: Float32Array;
  readonly tokenType: Float32Array;
  readonly embeddingNorm: Norm;
  readonly layers: readonly Layer[];
}

const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function makeWeights(o: BertModelOptions): Weights {
  const H = o.hiddenSize;
  const V = o.vocab.length;
  const bow = o.mode === 'bag-of-words';
  const norm = (): Norm => ({ gamma: filled(H, 1), beta: filled(H, 0) });
  const dense = (name: string, inDim: number, outDim: number, zero: boolean): Dense => ({
    w: zero ? new Float32Array(inDim * outDim) : normal(o.seed, `${name}.weight`, inDim * outDim, INIT_STD),
    b: new Float32Array(outDim),
    inDim,
    outDim,
  });

  const word = normal(o.seed, 'embeddings.word', V * H, bow ? 1 : INIT_STD);
  if (bow) {
    const specials = new Set<string>(SPECIAL_TOKENS);
    o.vocab.forEach((token, id) => {
      const zero =
        specials.has(token) ||
        !HAS_LETTER_OR_DIGIT.test(token.startsWith('##') ? token.slice(2) : token) ||
        (o.zeroToken?.(token) ?? false);
      if (zero) word.fill(0, id * H, (id + 1) * H);
    });
  }
  const position = bow ? new Float32Array(o.maxPositions * H) : normal(o.seed, 'embeddings.position', o.maxPositions * H, INIT_STD);
  const tokenType = bow ? new Float32Array(TYPE_VOCAB_SIZE * H) : normal(o.seed, 'embeddings.token_type', TYPE_VOCAB_SIZE * H, INIT_STD);

  const layers: Layer[] = [];
  for (let l = 0; l < o.numLayers; l++) {
    const p = `layer.${l}`;
    layers.push({
      query: dense(`${p}.attention.query`, H, H, false),
      key: dense(`${p}.attention.key`, H, H, false),
      value: dense(`${p}.attention.value`, H, H, false),
      attentionOutput: dense(`${p}.attention.output`, H, H, bow),
      attentionNorm: norm(),
      intermediate: dense(`${p}.intermediate`, H, o.intermediateSize, false),
      output: dense(`${p}.output`, o.intermediateSize, H, bow),
      outputNorm: norm(),
    });
  }
  return { word, position, tokenType, embeddingNorm: norm(), layers };
}

// ---------------------------------------------------------------------------------------------
// Graph

interface QuantizedWeight {
  readonly q: Uint8Array;
  readonly scale: number;
  readonly zeroPoint: number;
}

/** Per-tensor asymmetric uint8 quantization, as onnxruntime's quantize_dynamic does for weights. */
function quantizeUint8(w: Float32Array): QuantizedWeight {
  let min = 0;
  let max = 0;
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scale = max > min ? Math.fround((max - min) / 255) : 1;
  const zeroPoint = Math.min(255, Math.max(0, Math.round(-min / scale)));
  const q = new Uint8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    q[i] = Math.min(255, Math.max(0, Math.round(w[i]! / scale) + zeroPoint));
  }
  return { q, scale, zeroPoint };
}

function buildGraph(o: BertModelOptions, weights: Weights, quantized: boolean) {
  const g = new GraphBuilder();
  const H = o.hiddenSize;
  const heads = o.numHeads;
  const headDim = H / heads;
  const inputIds = g.uniqueName('input_ids');
  const attentionMask = g.uniqueName('attention_mask');
  const tokenTypeIds = g.uniqueName('token_type_ids');

  const f32 = (v: number): string => g.constant('float32', [], [v]);
  const i64 = (values: readonly number[]): string => g.constant('int64', [values.length], values);

  const layerNorm = (x: string, n: Norm, name: string): string => {
    const gamma = g.initializer(`${name}.weight`, 'float32', [H], n.gamma);
    const beta = g.initializer(`${name}.bias`, 'float32', [H], n.beta);
    const mean = g.op('ReduceMean', [x], { axes: attr.ints([-1]), keepdims: attr.int(1) });
    const centered = g.op('Sub', [x, mean]);
    const variance = g.op('ReduceMean', [g.op('Pow', [centered, f32(2)])], { axes: attr.ints([-1]), keepdims: attr.int(1) });
    const std = g.op('Sqrt', [g.op('Add', [variance, f32(LAYER_NORM_EPS)])]);
    return g.op('Add', [g.op('Mul', [g.op('Div', [centered, std]), gamma]), beta]);
  };

  const dense = (x: string, d: Dense, name: string): string => {
    const bias = g.initializer(`${name}.bias`, 'float32', [d.outDim], d.b);
    let product: string;
    if (!quantized) {
      const w = g.initializer(`${name}.weight`, 'float32', [d.inDim, d.outDim], d.w);
      product = g.op('MatMul', [x, w]);
    } else {
      const qw = quantizeUint8(d.w);
      const w = g.initializer(`${name}.weight_quantized`, 'uint8', [d.inDim, d.outDim], qw.q);
      const wScale = g.initializer(`${name}.weight_scale`, 'float32', [], Float32Array.of(qw.scale));
      const wZero = g.initializer(`${name}.weight_zero_point`, 'uint8', [], Uint8Array.of(qw.zeroPoint));
      const [xq, xScale, xZero] = g.node('DynamicQuantizeLinear', [x], {
        outputs: [`${name}.input_quantized`, `${name}.input_scale`, `${name}.input_zero_point`],
      }) as [string, string, string];
      const integer = g.op('MatMulInteger', [xq, w, xZero, wZero]);
      const asFloat = g.op('Cast', [integer], { to: attr.int(1) });
      const scale = g.op('Mul', [xScale, wScale]);
      product = g.op('Mul', [asFloat, scale]);
    }
    return g.op('Add', [product, bias]);
  };

  // Embeddings: word + position + token type, then LayerNorm.
  const wordTable = g.initializer('embeddings.word_embeddings.weight', 'float32', [o.vocab.length, H], weights.word);
  const positionTable = g.initializer('embeddings.position_embeddings.weight', 'float32', [o.maxPositions, H], weights.position);
  const typeTable = g.initializer('embeddings.token_type_embeddings.weight', 'float32', [TYPE_VOCAB_SIZE, H], weights.tokenType);
  const words = g.op('Gather', [wordTable, inputIds], { axis: attr.int(0) });
  const seqLen = g.op('Slice', [g.op('Shape', [inputIds]), i64([1]), i64([2]), i64([0])]);
  const positions = g.op('Slice', [positionTable, i64([0]), seqLen, i64([0])]);
  const types = g.op('Gather', [typeTable, tokenTypeIds], { axis: attr.int(0) });
  let hidden = layerNorm(g.op('Add', [g.op('Add', [words, positions]), types]), weights.embeddingNorm, 'embeddings.LayerNorm');

  // Additive attention mask: (1 - mask) * -10000, shaped [batch, 1, 1, seq].
  const maskFloat = g.op('Cast', [attentionMask], { to: attr.int(1) });
  const mask4d = g.op('Unsqueeze', [maskFloat, i64([1, 2])]);
  const extendedMask = g.op('Mul', [g.op('Sub', [f32(1), mask4d]), f32(-10000)]);

  const splitHeads = i64([0, 0, heads, headDim]);
  const mergeHeads = i64([0, 0, H]);
  const invSqrt2 = f32(Math.SQRT1_2);

  weights.layers.forEach((layer, l) => {
    const p = `encoder.layer.${l}`;
    const heads4d = (x: string, perm: number[]): string =>
      g.op('Transpose', [g.op('Reshape', [x, splitHeads])], { perm: attr.ints(perm) });
    const q = heads4d(dense(hidden, layer.query, `${p}.attention.self.query`), [0, 2, 1, 3]);
    const k = heads4d(dense(hidden, layer.key, `${p}.attention.self.key`), [0, 2, 3, 1]);
    const v = heads4d(dense(hidden, layer.value, `${p}.attention.self.value`), [0, 2, 1, 3]);
    const scores = g.op('Add', [g.op('Div', [g.op('MatMul', [q, k]), f32(Math.sqrt(headDim))]), extendedMask]);
    const probs = g.op('Softmax', [scores], { axis: attr.int(-1) });
    const context = g.op('Reshape', [
      g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: attr.ints([0, 2, 1, 3]) }),
      mergeHeads,
    ]);
    const attended = dense(context, layer.attentionOutput, `${p}.attention.output.dense`);
    const afterAttention = layerNorm(g.op('Add', [attended, hidden]), layer.attentionNorm, `${p}.attention.output.LayerNorm`);

    const inner = dense(afterAttention, layer.intermediate, `${p}.intermediate.dense`);
    // GELU(x) = 0.5 * x * (1 + erf(x / sqrt(2)))
    const gelu = g.op('Mul', [
      g.op('Mul', [inner, f32(0.5)]),
      g.op('Add', [g.op('Erf', [g.op('Mul', [inner, invSqrt2])]), f32(1)]),
    ]);
    const out = dense(gelu, layer.output, `${p}.output.dense`);
    hidden = layerNorm(g.op('Add', [out, afterAttention]), layer.outputNorm, `${p}.output.LayerNorm`);
  });
  const [output] = g.node('Identity', [hidden], { outputs: ['last_hidden_state'] });
  if (output !== 'last_hidden_state') throw new Error(`internal: output named ${output}`);

  const tokens: OnnxValueInfo[] = [inputIds, attentionMask, tokenTypeIds].map((name) => ({
    name,
    dataType: 'int64',
    shape: ['batch_size', 'sequence_length'],
  }));
  const outputs: OnnxValueInfo[] = [
    { name: 'last_hidden_state', dataType: 'float32', shape: ['batch_size', 'sequence_length', H] },
  ];
  return g.build('bert_encoder', tokens, outputs);
}

// ---------------------------------------------------------------------------------------------
// Tokenizer and config files

function tokenizerJson(vocab: readonly string[]): string {
  const ids = new Map<string, number>();
  vocab.forEach((token, id) => {
    if (ids.has(token)) throw new Error(`generateBertModel: duplicate vocabulary token ${JSON.stringify(token)}`);
    ids.set(token, id);
  });
  const idOf = (token: string): number => {
    const id = ids.get(token);
    if (id === undefined) throw new Error(`generateBertModel: the vocabulary lacks ${token}`);
    return id;
  };
  const sorted = [...SPECIAL_TOKENS].sort((a, b) => idOf(a) - idOf(b));
  const special = (token: string, typeId: number) => ({ SpecialToken: { id: token, type_id: typeId } });
  const sequence = (id: 'A' | 'B', typeId: number) => ({ Sequence: { id, type_id: typeId } });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: sorted.map((token) => ({
      id: idOf(token),
      content: token,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: true,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0)],
      pair: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0), sequence('B', 1), special('[SEP]', 1)],
      special_tokens: Object.fromEntries(
        (['[CLS]', '[SEP]'] as const).map((t) => [t, { id: t, ids: [idOf(t)], tokens: [t] }]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: '__VOCAB__',
    },
  };
  // Written by hand so the keys keep vocabulary order (JS objects would hoist integer-like keys).
  const vocabJson = `{${vocab.map((token, id) => `${JSON.stringify(token)}:${id}`).join(',')}}`;
  return JSON.stringify(tokenizer).replace('"__VOCAB__"', () => vocabJson);
}

function configJson(o: BertModelOptions): string {
  return JSON.stringify(
    {
      _name_or_path: `generated-bert-${o.mode}`,
      architectures: ['BertModel'],
      attention_probs_dropout_prob: 0.1,
      classifier_dropout: null,
      hidden_act: 'gelu',
      hidden_dropout_prob: 0.1,
      hidden_size: o.hiddenSize,
      initializer_range: INIT_STD,
      intermediate_size: o.intermediateSize,
      layer_norm_eps: LAYER_NORM_EPS,
      max_position_embeddings: o.maxPositions,
      model_type: 'bert',
      num_attention_heads: o.numHeads,
      num_hidden_layers: o.numLayers,
      pad_token_id: o.vocab.indexOf('[PAD]'),
      position_embedding_type: 'absolute',
      transformers_version: '4.46.0',
      type_vocab_size: TYPE_VOCAB_SIZE,
      use_cache: true,
      vocab_size: o.vocab.length,
    },
    null,
    2,
  );
}

function tokenizerConfigJson(o: BertModelOptions): string {
  return JSON.stringify(
    {
      clean_up_tokenization_spaces: true,
      cls_token: '[CLS]',
      do_basic_tokenize: true,
      do_lower_case: true,
      mask_token: '[MASK]',
      model_max_length: Math.min(512, o.maxPositions),
      never_split: null,
      pad_token: '[PAD]',
      sep_token: '[SEP]',
      strip_accents: null,
      tokenize_chinese_chars: true,
      tokenizer_class: 'BertTokenizer',
      unk_token: '[UNK]',
    },
    null,
    2,
  );
}

const SPECIAL_TOKENS_MAP = JSON.stringify(
  { cls_token: '[CLS]', mask_token: '[MASK]', pad_token: '[PAD]', sep_token: '[SEP]', unk_token: '[UNK]' },
  null,
  2,
);

function validate(o: BertModelOptions): void {
  const positive = ['hiddenSize', 'numLayers', 'numHeads', 'intermediateSize', 'maxPositions'] as const;
  for (const key of positive) {
    if (!Number.isInteger(o[key]) || o[key] <= 0) throw new Error(`generateBertModel: ${key} must be a positive integer`);
  }
  if (o.hiddenSize % o.numHeads !== 0) throw new Error('generateBertModel: hiddenSize must be divisible by numHeads');
  if (!Number.isInteger(o.seed)) throw new Error('generateBertModel: seed must be an integer');
}

/** Writes a transformers.js-loadable BERT model into `dir` (created if needed). */
export async function generateBertModel(dir: string, options: BertModelOptions): Promise<void> {
  validate(options);
  const tokenizer = tokenizerJson(options.vocab); // validates the vocabulary before the heavy work
  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  await writeFile(path.join(dir, 'config.json'), configJson(options));
  await writeFile(path.join(dir, 'tokenizer.json'), tokenizer);
  await writeFile(path.join(dir, 'tokenizer_config.json'), tokenizerConfigJson(options));
  await writeFile(path.join(dir, 'special_tokens_map.json'), SPECIAL_TOKENS_MAP);
  await writeFile(path.join(dir, 'vocab.txt'), `${options.vocab.join('\n')}\n`);

  const weights = makeWeights(options);
  writeOnnxModel(path.join(dir, 'onnx', 'model.onnx'), { graph: buildGraph(options, weights, false) });
  if (options.quantized) {
    writeOnnxModel(path.join(dir, 'onnx', 'model_quantized.onnx'), { graph: buildGraph(options, weights, true) });
  }
}
