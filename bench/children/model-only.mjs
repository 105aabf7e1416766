// (Not type-checked: it imports the compiled dist/, which need not exist when `npm run typecheck` runs.)
/**
 * Child process for the one-shot comparison: a process that only loads the embedding model, with
 * the program's own compiled code (dist/, as `npm run ask` runs it) — settings from the
 * environment, the model loaded and warmed up exactly as the service does — then exits. Plain
 * JavaScript on plain Node, so nothing but the model load separates it from a one-shot question.
 */
import { parseConfig } from '../../dist/config.js';
import { createTransformersEmbedder } from '../../dist/embedding/transformers-embedder.js';

const config = parseConfig(process.env);
await createTransformersEmbedder({ ...config.embedding, timeoutMs: config.embedding.loadTimeoutMs });
process.exit(0);
