import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { createAnswerService } from '../../src/app.js';
import type { AnswerTrace } from '../../src/core/answer.js';
import { parseConfig } from '../../src/config.js';
import type { AnswerService } from '../../src/core/service.js';
import type { Embedder } from '../../src/core/types.js';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { createLogger } from '../../src/log.js';
import { REPO_ROOT } from '../../tests/support/model/index.js';
import { tempDir, testModelEnv } from '../../tests/support/service.js';

/**
 * The ways the evaluation runs the bot: lexical search only; hybrid with the generated
 * bag-of-words model (knows words, not meanings); and hybrid with `EMBEDDING_MODEL` when it is set
 * (e.g. the real default model on a machine that can download it).
 */
export type ModeName = 'lexical' | 'bag-of-words' | 'model';

export interface EvalMode {
  readonly name: ModeName;
  /** What the tables call it. */
  readonly label: string;
  /** null: lexical search only. */
  readonly embedder: Embedder | null;
}

export async function loadMode(name: ModeName, env: Record<string, string | undefined> = process.env): Promise<EvalMode> {
  if (name === 'lexical') return { name, label: 'lexical', embedder: null };
  const settings = name === 'bag-of-words' ? await testModelEnv() : env;
  const config = parseConfig({ ...settings, MODEL_CACHE_DIR: env['MODEL_CACHE_DIR'] }, REPO_ROOT);
  const embedder = await createTransformersEmbedder({ ...config.embedding, timeoutMs: config.embedding.loadTimeoutMs });
  const label = name === 'bag-of-words' ? 'hybrid, generated bag-of-words model' : `hybrid, ${config.embedding.model} (${embedder.fingerprint.dtype})`;
  return { name, label, embedder };
}

/**
 * The real answer service (the one `npm start` builds) with the mode's embedder: over one article,
 * or over a library of several (a folder holding links to them, as `ARTICLES_DIR` would).
 */
export async function serviceFor(articlePaths: string | readonly string[], mode: EvalMode, onAnswerTrace?: (trace: AnswerTrace) => void): Promise<AnswerService> {
  const dir = await tempDir('article-bot-eval-');
  const common = { EMBEDDINGS_DIR: path.join(dir, 'embeddings'), MODEL_CACHE_DIR: path.join(dir, 'models') };
  let settings: Record<string, string>;
  if (typeof articlePaths === 'string') settings = { ...common, ARTICLE_PATH: articlePaths };
  else {
    const library = path.join(dir, 'articles');
    await mkdir(library);
    for (const file of articlePaths) await symlink(file, path.join(library, path.basename(file)));
    settings = { ...common, ARTICLES_DIR: library };
  }
  return createAnswerService(parseConfig(settings, REPO_ROOT), { logger: createLogger('error'), embedder: mode.embedder, onAnswerTrace });
}
