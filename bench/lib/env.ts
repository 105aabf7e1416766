import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUERY_PREFIX } from './questions.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export type BenchDtype = 'q8' | 'fp32';

/**
 * The settings a user would put in `.env` to run the bot on the bench model: a local folder, the
 * dtype, and the default model's pooling and query prefix (the folder's name is not in the model
 * table, which would otherwise give mean pooling and no prefix). Every written file goes to `dir`.
 */
export function benchEnv(modelDir: string, dtype: BenchDtype, dir: string): Record<string, string> {
  return {
    EMBEDDING_MODEL: modelDir,
    EMBEDDING_DTYPE: dtype,
    EMBEDDING_POOLING: 'cls',
    EMBEDDING_QUERY_PREFIX: QUERY_PREFIX,
    ARTICLE_PATH: path.join(REPO_ROOT, 'articles', 'us-escalates-conflict-2022-09-16.txt'),
    EMBEDDINGS_DIR: path.join(dir, `embeddings-${dtype}`),
    MODEL_CACHE_DIR: path.join(dir, 'models'),
    FEEDBACK_PATH: path.join(dir, 'feedback.jsonl'),
    LOG_LEVEL: 'warn',
  };
}

/** Settings that must not leak from the caller's shell or `.env` into a measured child. */
export const CLEARED_ENV = ['DISCORD_TOKEN', 'DISCORD_API_URL', 'DISCORD_GUILD_ID', 'DISCORD_CLIENT_ID', 'MODEL_REMOTE_HOST', 'TOP_K', 'RATE_LIMIT', 'AUTO_THREAD', 'MESSAGE_CONTENT_INTENT'];
