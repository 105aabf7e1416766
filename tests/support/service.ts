import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAnswerService } from '../../src/app.js';
import { parseConfig, type Config } from '../../src/config.js';
import type { AnswerService } from '../../src/core/service.js';
import { createLogger, type Logger } from '../../src/log.js';
import { ensureTestModel } from './model/index.js';

/** Settings that make the generated bag-of-words model work: mean pooling, no prefix, fp32 weights. */
export async function testModelEnv(): Promise<Record<string, string>> {
  return {
    EMBEDDING_MODEL: await ensureTestModel(),
    EMBEDDING_POOLING: 'mean',
    EMBEDDING_QUERY_PREFIX: '',
    EMBEDDING_DTYPE: 'fp32',
  };
}

/** A fresh folder under the OS temp dir for one test's files. */
export function tempDir(prefix = 'article-bot-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** A logger that keeps its lines for assertions instead of printing them. */
export interface MemoryLogger extends Logger {
  readonly lines: string[];
  /** Resolves once `count` lines (default 1) satisfy `predicate`, counting lines already written. */
  waitForLines(predicate: (line: string) => boolean, count?: number): Promise<string[]>;
}

export function memoryLogger(level: 'debug' | 'info' | 'warn' | 'error' = 'debug'): MemoryLogger {
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const logger = createLogger(level, (line) => {
    lines.push(line);
    for (const waiter of waiters) waiter();
  });
  return Object.assign(logger, {
    lines,
    waitForLines(predicate: (line: string) => boolean, count = 1) {
      return new Promise<string[]>((resolve) => {
        const check = () => {
          const matching = lines.filter(predicate);
          if (matching.length < count) return;
          waiters.delete(check);
          resolve(matching);
        };
        waiters.add(check);
        check();
      });
    },
  });
}

/**
 * Environment for running an entry point (`src/main.ts`, `src/cli/ask.ts`) as a child process, as
 * a user would set it: the generated model, and every written file in a fresh temporary folder.
 */
export async function testProcessEnv(overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  const dir = await tempDir();
  return {
    ...(await testModelEnv()),
    EMBEDDINGS_DIR: path.join(dir, 'embeddings'),
    MODEL_CACHE_DIR: path.join(dir, 'models'),
    FEEDBACK_PATH: path.join(dir, 'feedback.jsonl'),
    ...overrides,
  };
}

/**
 * A config for tests: the seed article, the generated model, and every written file in a
 * fresh temporary folder. `overrides` are environment-style settings.
 */
export async function testConfig(overrides: Record<string, string> = {}): Promise<Config> {
  const dir = await tempDir();
  return parseConfig(
    {
      ...(await testModelEnv()),
      EMBEDDINGS_DIR: path.join(dir, 'embeddings'),
      MODEL_CACHE_DIR: path.join(dir, 'models'),
      FEEDBACK_PATH: path.join(dir, 'feedback.jsonl'),
      ...overrides,
    },
    path.resolve(import.meta.dirname, '../..'),
  );
}

/** The real answer service over the seed article and the generated model. */
export async function createTestService(overrides: Record<string, string> = {}): Promise<{ service: AnswerService; config: Config; logger: ReturnType<typeof memoryLogger> }> {
  const config = await testConfig(overrides);
  const logger = memoryLogger();
  const service = await createAnswerService(config, { logger });
  return { service, config, logger };
}
