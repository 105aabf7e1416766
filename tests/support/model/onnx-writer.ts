/**
 * A small, dependency-free protobuf writer for ONNX `ModelProto` files.
 *
 * Only the parts of onnx.proto the test models need are covered: a single graph with initializers
 * (raw little-endian data), nodes with int/float/string/tensor attributes, and typed inputs/outputs
 * whose dimensions may be symbolic ("batch_size", "sequence_length").
 *
 * Encoding keeps large tensor payloads as references to their original memory: a message is a list
 * of byte chunks plus its total length, so nesting a 50 MB initializer costs a few bytes of header,
 * not a copy. `writeOnnxModel` then streams the chunks to disk, coalescing the small ones.
 */
import { openSync, writeSync, closeSync } from 'node:fs';
import os from 'node:os';

/** ONNX TensorProto.DataType values used here. */
export const ONNX_DTYPE = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
} as const;
export type OnnxDataType = keyof typeof ONNX_DTYPE;

export type TensorData = Float32Array | Uint8Array | Int8Array | Int32Array | BigInt64Array;

export interface OnnxTensor {
  readonly name: string;
  readonly dataType: OnnxDataType;
  readonly dims: readonly number[];
  readonly data: TensorData;
}

export type OnnxAttribute =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'tensor'; readonly value: OnnxTensor };

export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  readonly domain?: string;
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
}

/** A dimension is either fixed (number) or symbolic (string, e.g. "batch_size"). */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
  readonly name: string;
  readonly dataType: OnnxDataType;
  readonly shape: readonly OnnxDim[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  readonly graph: OnnxGraph;
  /** Defaults to 8. */
  readonly irVersion?: number;
  /** Default-domain opset; defaults to 14. */
  readonly opset?: number;
  readonly producerName?: string;
  readonly producerVersion?: string;
  /** Extra opset imports, e.g. `{ domain: 'com.microsoft', version: 1 }`. */
  readonly extraOpsets?: readonly { readonly domain: string; readonly version: number }[];
}

export const attr = {
  int: (value: number): OnnxAttribute => ({ type: 'int', value }),
  float: (value: number): OnnxAttribute => ({ type: 'float', value }),
  string: (value: string): OnnxAttribute => ({ type: 'string', value }),
  ints: (value: readonly number[]): OnnxAttribute => ({ type: 'ints', value }),
  floats: (value: readonly number[]): OnnxAttribute => ({ type: 'floats', value }),
  tensor: (value: OnnxTensor): OnnxAttribute => ({ type: 'tensor', value }),
};

// ---------------------------------------------------------------------------------------------
// Protobuf primitives

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

const MASK_64 = (1n << 64n) - 1n;

function varint(value: number | bigint): Uint8Array {
  let v: bigint;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`varint: not a safe integer: ${value}`);
    if (value >= 0 && value < 0x80) return Uint8Array.of(value);
    v = BigInt(value);
  } else {
    v = value;
  }
  // Negative int64 values are encoded as their 64-bit two's complement (10 bytes).
  if (v < 0n) v &= MASK_64;
  const bytes: number[] = [];
  while (v >= 0x80n) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Uint8Array.from(bytes);
}

const textEncoder = new TextEncoder();

/** A protobuf message under construction: a list of chunks and their total byte length. */
class Message {
  readonly chunks: Uint8Array[] = [];
  size = 0;

  private push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
  }

  private tag(field: number, wire: number): void {
    this.push(varint(field * 8 + wire));
  }

  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.push(varint(value));
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.push(varint(data.byteLength));
    this.push(data);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  message(field: number, sub: Message): this {
    this.tag(field, WIRE_LEN);
    this.push(varint(sub.size));
    for (const c of sub.chunks) this.push(c);
    return this;
  }

  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const parts = values.map((v) => varint(v));
    const len = parts.reduce((n, p) => n + p.byteLength, 0);
    this.tag(field, WIRE_LEN);
    this.push(varint(len));
    for (const p of parts) this.push(p);
    return this;
  }

  packedFloats(field: number, values: readonly number[]): this {
    const b = new Uint8Array(values.length * 4);
    const dv = new DataView(b.buffer);
    values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }
}

// ---------------------------------------------------------------------------------------------
// ONNX messages

function assertLittleEndian(): void {
  if (os.endianness() !== 'LE') throw new Error('onnx-writer: raw_data encoding assumes a little-endian host');
}

function expectedLength(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

function tensorProto(t: OnnxTensor): Message {
  if (t.data.length !== expectedLength(t.dims)) {
    throw new Error(`tensor ${t.name}: ${t.data.length} elements do not match dims [${t.dims.join(', ')}]`);
  }
  const m = new Message();
  if (t.dims.length > 0) m.packedInts(1, t.dims); // dims
  m.int(2, ONNX_DTYPE[t.dataType]); // data_type
  m.string(8, t.name); // name
  m.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)); // raw_data
  return m;
}

function attributeProto(name: string, a: OnnxAttribute): Message {
  const m = new Message();
  m.string(1, name);
  switch (a.type) {
    case 'float':
      m.float(2, a.value);
      break;
    case 'int':
      m.int(3, a.value);
      break;
    case 'string':
      m.string(4, a.value);
      break;
    case 'tensor':
      m.message(5, tensorProto(a.value));
      break;
    case 'floats':
      m.packedFloats(7, a.value);
      break;
    case 'ints':
      m.packedInts(8, a.value);
      break;
  }
  m.int(20, ATTR_TYPE[a.type]);
  return m;
}

function nodeProto(n: OnnxNode, index: number): Message {
  const m = new Message();
  for (const i of n.inputs) m.string(1, i);
  for (const o of n.outputs) m.string(2, o);
  m.string(3, n.name ?? `${n.opType}_${index}`);
  m.string(4, n.opType);
  for (const [name, a] of Object.entries(n.attributes ?? {})) m.message(5, attributeProto(name, a));
  if (n.domain) m.string(7, n.domain);
  return m;
}

function valueInfoProto(v: OnnxValueInfo): Message {
  const shape = new Message();
  for (const d of v.shape) {
    const dim = new Message();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new Message().int(1, ONNX_DTYPE[v.dataType]).message(2, shape);
  const type = new Message().message(1, tensorType);
  return new Message().string(1, v.name).message(2, type);
}

function graphProto(g: OnnxGraph): Message {
  const m = new Message();
  g.nodes.forEach((n, i) => m.message(1, nodeProto(n, i)));
  m.string(2, g.name);
  for (const t of g.initializers) m.message(5, tensorProto(t));
  for (const v of g.inputs) m.message(11, valueInfoProto(v));
  for (const v of g.outputs) m.message(12, valueInfoProto(v));
  return m;
}

function modelProto(model: OnnxModel): Message {
  assertLittleEndian();
  const m = new Message();
  m.int(1, model.irVersion ?? 8); // ir_version
  m.string(2, model.producerName ?? 'article-qa-bot-test-generator'); // producer_name
  m.string(3, model.producerVersion ?? '1'); // producer_version
  m.message(7, graphProto(model.graph)); // graph
  m.message(8, new Message().string(1, '').int(2, model.opset ?? 14)); // opset_import
  for (const o of model.extraOpsets ?? []) m.message(8, new Message().string(1, o.domain).int(2, o.version));
  return m;
}

/** Encodes the model as a list of chunks (large tensor payloads are not copied). */
export function encodeOnnxModel(model: OnnxModel): { chunks: Uint8Array[]; size: number } {
  const m = modelProto(model);
  return { chunks: m.chunks, size: m.size };
}

/** Encodes the model into one contiguous buffer (convenient for small models). */
export function serializeOnnxModel(model: OnnxModel): Uint8Array {
  const { chunks, size } = encodeOnnxModel(model);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

const COALESCE_LIMIT = 1 << 16;

/** Writes the model to `file`, streaming large payloads and coalescing small chunks. Returns the byte size. */
export function writeOnnxModel(file: string, model: OnnxModel): number {
  const { chunks, size } = encodeOnnxModel(model);
  const fd = openSync(file, 'w');
  try {
    let pending: Uint8Array[] = [];
    let pendingSize = 0;
    const writeAll = (buf: Uint8Array): void => {
      let off = 0;
      while (off < buf.byteLength) off += writeSync(fd, buf, off, buf.byteLength - off);
    };
    const flush = (): void => {
      if (pendingSize === 0) return;
      writeAll(Buffer.concat(pending, pendingSize));
      pending = [];
      pendingSize = 0;
    };
    for (const c of chunks) {
      if (c.byteLength >= COALESCE_LIMIT) {
        flush();
        writeAll(c);
      } else {
        pending.push(c);
        pendingSize += c.byteLength;
        if (pendingSize >= COALESCE_LIMIT) flush();
      }
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return size;
}

// ---------------------------------------------------------------------------------------------
// Graph builder

/**
 * Accumulates nodes and initializers with unique, readable tensor names. `node()` returns the
 * output names so graphs can be written as nested expressions.
 */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly names = new Set<string>();
  private readonly constants = new Map<string, string>();
  private counter = 0;

  /** Returns `base` if unused, else `base_N`. */
  uniqueName(base: string): string {
    let name = base;
    while (this.names.has(name)) name = `${base}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  /** Adds an initializer and returns its name. */
  initializer(name: string, dataType: OnnxDataType, dims: readonly number[], data: TensorData): string {
    const unique = this.uniqueName(name);
    this.initializers.push({ name: unique, dataType, dims: [...dims], data });
    return unique;
  }

  /** A shared small constant initializer (deduplicated by value). */
  constant(dataType: OnnxDataType, dims: readonly number[], values: readonly number[]): string {
    const key = `${dataType}|${dims.join(',')}|${values.join(',')}`;
    const existing = this.constants.get(key);
    if (existing) return existing;
    let data: TensorData;
    switch (dataType) {
      case 'float32':
        data = Float32Array.from(values);
        break;
      case 'int64':
        data = BigInt64Array.from(values, (v) => BigInt(v));
        break;
      case 'int32':
        data = Int32Array.from(values);
        break;
      case 'uint8':
        data = Uint8Array.from(values);
        break;
      case 'int8':
        data = Int8Array.from(values);
        break;
    }
    const name = this.initializer(`const_${this.constants.size}`, dataType, dims, data);
    this.constants.set(key, name);
    return name;
  }

  /** Adds a node; returns its output names (generated from `outputs` hints or the op type). */
  node(
    opType: string,
    inputs: readonly string[],
    options: {
      outputs?: readonly string[] | number;
      attributes?: Readonly<Record<string, OnnxAttribute>>;
      domain?: string;
      name?: string;
    } = {},
  ): string[] {
    const hints =
      typeof options.outputs === 'number' || options.outputs === undefined
        ? Array.from({ length: options.outputs ?? 1 }, (_, i) => `${opType.toLowerCase()}_out${i}`)
        : options.outputs;
    const outputs = hints.map((h) => this.uniqueName(h));
    const name = this.uniqueName(options.name ?? `${opType}_node`);
    const node: OnnxNode = {
      opType,
      inputs: [...inputs],
      outputs,
      name,
      ...(options.domain !== undefined ? { domain: options.domain } : {}),
      ...(options.attributes !== undefined ? { attributes: options.attributes } : {}),
    };
    this.nodes.push(node);
    return outputs;
  }

  /** Single-output convenience form of `node`. */
  op(
    opType: string,
    inputs: readonly string[],
    attributes?: Readonly<Record<string, OnnxAttribute>>,
    outputName?: string,
  ): string {
    const out = this.node(opType, inputs, {
      ...(attributes !== undefined ? { attributes } : {}),
      ...(outputName !== undefined ? { outputs: [outputName] } : {}),
    });
    return out[0]!;
  }

  build(name: string, inputs: readonly OnnxValueInfo[], outputs: readonly OnnxValueInfo[]): OnnxGraph {
    return { name, nodes: this.nodes, initializers: this.initializers, inputs, outputs };
  }
}
