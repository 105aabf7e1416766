import { createHash } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readWholeFile } from './files.js';
import type { EmbedderFingerprint } from './types.js';

/**
 * Stores the article's vectors under a folder (default `embeddings/`):
 * `manifest.json` says what they are, `vectors.f32` holds them as little-endian float32 rows.
 * See embeddings/README.md for the format.
 *
 * Version 2 keeps how the off-topic probes score against the article (three numbers) in the
 * manifest instead of the probes' own vectors in the file: a library of a thousand articles then
 * starts without reading, checking and scoring 24 probe vectors per article (about a fifth of the
 * file and a quarter of a second of start-up). Stores of version 1 are rebuilt once.
 */

export const STORE_FORMAT_VERSION = 2;
const MANIFEST = 'manifest.json';
const VECTORS = 'vectors.f32';

export interface StoreManifest {
  readonly formatVersion: number;
  readonly articleHash: string;
  /** sha256 over every embedded text in order; changes when the article or its splitting changes. */
  readonly unitsHash: string;
  readonly model: string;
  readonly dtype: string;
  readonly pooling: 'cls' | 'mean';
  readonly queryPrefix: string;
  readonly dimension: number;
  readonly passageCount: number;
  readonly sentenceCount: number;
  /** How many off-topic probe questions `offTopic` summarises. */
  readonly probeCount: number;
  /** The best passage score of each off-topic probe, summarised (see probes.ts). */
  readonly offTopic: OffTopicSpread;
  readonly createdAt: string;
  readonly vectorsFile: string;
  readonly vectorsSha256: string;
}

export interface OffTopicSpread {
  readonly mean: number;
  readonly std: number;
  readonly max: number;
}

/** What the caller expects the stored vectors to be. */
export interface StoreKey {
  readonly articleHash: string;
  readonly unitsHash: string;
  readonly fingerprint: EmbedderFingerprint;
  readonly passageCount: number;
  readonly sentenceCount: number;
  readonly probeCount: number;
}

export type LoadOutcome =
  | { readonly status: 'loaded'; readonly vectors: Float32Array; readonly offTopic: OffTopicSpread; readonly manifest: StoreManifest }
  | { readonly status: 'missing' | 'stale' | 'corrupt'; readonly reason: string };

/** sha256 over the texts, each followed by a NUL (one update: a call per text cost more than the hashing). */
export function hashTexts(texts: readonly string[]): string {
  return createHash('sha256')
    .update(texts.length === 0 ? '' : `${texts.join('\u0000')}\u0000`)
    .digest('hex');
}

/** Reads the stored vectors if they match `key`; says why not otherwise. Never throws for bad files. */
export async function loadVectors(dir: string, key: StoreKey): Promise<LoadOutcome> {
  let manifestText: string;
  try {
    manifestText = (await readWholeFile(path.join(dir, MANIFEST))).toString('utf8');
  } catch {
    return { status: 'missing', reason: `no ${MANIFEST} in ${dir}` };
  }
  let manifest: StoreManifest;
  try {
    manifest = JSON.parse(manifestText) as StoreManifest;
    if (typeof manifest !== 'object' || manifest === null || typeof manifest.vectorsSha256 !== 'string') throw new Error('fields missing');
  } catch (error) {
    return { status: 'corrupt', reason: `${MANIFEST} is not a valid manifest (${(error as Error).message})` };
  }
  const stale = staleness(manifest, key);
  if (stale) return { status: 'stale', reason: stale };
  const offTopic = manifest.offTopic;
  if (typeof offTopic !== 'object' || offTopic === null || ![offTopic.mean, offTopic.std, offTopic.max].every(Number.isFinite)) {
    return { status: 'corrupt', reason: `${MANIFEST} has no valid off-topic spread` };
  }
  let bytes: Buffer;
  try {
    bytes = await readWholeFile(path.join(dir, VECTORS));
  } catch {
    return { status: 'corrupt', reason: `${VECTORS} is missing` };
  }
  const rows = key.passageCount + key.sentenceCount;
  const expectedBytes = rows * key.fingerprint.dimension * 4;
  if (bytes.length !== expectedBytes) {
    return { status: 'corrupt', reason: `${VECTORS} has ${bytes.length} bytes, expected ${expectedBytes}` };
  }
  if (createHash('sha256').update(bytes).digest('hex') !== manifest.vectorsSha256) {
    return { status: 'corrupt', reason: `${VECTORS} does not match its checksum` };
  }
  return { status: 'loaded', vectors: fromLittleEndian(bytes), offTopic, manifest };
}

function staleness(manifest: StoreManifest, key: StoreKey): string | undefined {
  const f = key.fingerprint;
  const checks: Array<[string, unknown, unknown]> = [
    ['format version', manifest.formatVersion, STORE_FORMAT_VERSION],
    ['article', manifest.articleHash, key.articleHash],
    ['passages or sentences', manifest.unitsHash, key.unitsHash],
    ['model', manifest.model, f.model],
    ['dtype', manifest.dtype, f.dtype],
    ['pooling', manifest.pooling, f.pooling],
    ['query prefix', manifest.queryPrefix, f.queryPrefix],
    ['dimension', manifest.dimension, f.dimension],
    ['passage count', manifest.passageCount, key.passageCount],
    ['sentence count', manifest.sentenceCount, key.sentenceCount],
    ['probe count', manifest.probeCount, key.probeCount],
  ];
  const changed = checks.filter(([, stored, wanted]) => stored !== wanted).map(([name]) => name);
  return changed.length > 0 ? `built for a different ${changed.join(', ')}` : undefined;
}

/** Writes vectors and manifest atomically (temporary files renamed into place, manifest last). */
export async function saveVectors(dir: string, key: StoreKey, vectors: Float32Array, offTopic: OffTopicSpread): Promise<StoreManifest> {
  await mkdir(dir, { recursive: true });
  const bytes = toLittleEndian(vectors);
  const f = key.fingerprint;
  const manifest: StoreManifest = {
    formatVersion: STORE_FORMAT_VERSION,
    articleHash: key.articleHash,
    unitsHash: key.unitsHash,
    model: f.model,
    dtype: f.dtype,
    pooling: f.pooling,
    queryPrefix: f.queryPrefix,
    dimension: f.dimension,
    passageCount: key.passageCount,
    sentenceCount: key.sentenceCount,
    probeCount: key.probeCount,
    offTopic,
    createdAt: new Date().toISOString(),
    vectorsFile: VECTORS,
    vectorsSha256: createHash('sha256').update(bytes).digest('hex'),
  };
  const suffix = `.${process.pid}.${Date.now()}.tmp`;
  // The manifest goes away first so that a crash between the two renames leaves "missing", not a
  // manifest pointing at other vectors.
  await rm(path.join(dir, MANIFEST), { force: true });
  await writeFile(path.join(dir, VECTORS + suffix), bytes);
  await rename(path.join(dir, VECTORS + suffix), path.join(dir, VECTORS));
  await writeFile(path.join(dir, MANIFEST + suffix), JSON.stringify(manifest, null, 2) + '\n');
  await rename(path.join(dir, MANIFEST + suffix), path.join(dir, MANIFEST));
  return manifest;
}

const LITTLE_ENDIAN = os.endianness() === 'LE';

/**
 * The file's float32 rows: on little-endian machines (nearly all) a view of the bytes as read
 * (a copy only if they are not 4-byte aligned), value by value elsewhere.
 */
function fromLittleEndian(bytes: Buffer): Float32Array {
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  if (LITTLE_ENDIAN) return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const vectors = new Float32Array(bytes.length / 4);
  for (let i = 0; i < vectors.length; i++) vectors[i] = bytes.readFloatLE(i * 4);
  return vectors;
}

function toLittleEndian(vectors: Float32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength);
  const bytes = Buffer.alloc(vectors.length * 4);
  for (let i = 0; i < vectors.length; i++) bytes.writeFloatLE(vectors[i]!, i * 4);
  return bytes;
}
