/**
 * Child process: a fresh process that only loads the embedding model (createTransformersEmbedder,
 * including its warm-up pass) — the baseline for the warm start. Settings come from the
 * environment, as for the real program. Prints one JSON line.
 */
import { parseConfig } from '../../src/config.js';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { emit } from '../lib/child.js';

const config = parseConfig(process.env);
const embedder = await createTransformersEmbedder({ ...config.embedding, timeoutMs: config.embedding.loadTimeoutMs });
// Node's performance.now() counts from the start of this process (performance.timeOrigin).
const readyMs = performance.now();
const rssBytes = process.memoryUsage().rss;
emit({
  kind: 'model-only',
  readyMs,
  rssBytes,
  // maxRSS is in kilobytes.
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  dimension: embedder.fingerprint.dimension,
});
process.exit(0);
