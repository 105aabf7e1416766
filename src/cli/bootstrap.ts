import dotenv from 'dotenv';
import { ConfigError, parseConfig, type Config } from '../config.js';
import { createAnswerService, StartupError } from '../app.js';
import type { AnswerService } from '../core/service.js';
import { createLogger, redact, type Logger } from '../log.js';
import { createProgressReporters } from '../progress.js';

/**
 * Start-up shared by every entry point: .env, config (once), logger, and the answer service.
 * Problems a user can fix end the process with a readable message and exit code 1.
 */
export function loadConfigOrExit(): Config {
  dotenv.config({ quiet: true });
  try {
    const config = parseConfig(process.env);
    redact(config.discord.token);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) exitWith(error.message);
    throw error;
  }
}

export async function startServiceOrExit(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<AnswerService> {
  const progress = createProgressReporters(logger);
  try {
    return await createAnswerService(config, { logger, onDownloadProgress: progress.download, onIndexEvent: progress.index });
  } catch (error) {
    if (error instanceof StartupError) exitWith(error.message);
    throw error;
  }
}

/**
 * Ends a command that has finished: exits once what it printed is written, rather than when the
 * event loop drains — which can take a few hundred milliseconds more, because transformers.js
 * keeps reading the model file in the background after its session is created.
 */
export function exitWhenWritten(code = 0): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

export function exitWith(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
