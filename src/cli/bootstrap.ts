import dotenv from 'dotenv';
import { ConfigError, parseConfig, type Config } from '../config.js';
import { createAnswerService, StartupError } from '../app.js';
import type { AnswerService } from '../core/service.js';
import { createLogger, formatJsonLine, redact, scrub, type LogFormat, type Logger } from '../log.js';
import { createProgressReporters, type ProgressReporters } from '../progress.js';

/**
 * Start-up shared by every entry point: .env, config (once), logger, and the answer service.
 * Problems a user can fix end the process with a readable message and exit code 1.
 */

/** How `exitWith` writes its last line: as configured once the config is read (text until then). */
let exitLineFormat: LogFormat = 'text';

export function loadConfigOrExit(): Config {
  dotenv.config({ quiet: true });
  try {
    const config = parseConfig(process.env);
    redact(config.discord.token);
    exitLineFormat = config.logFormat;
    return config;
  } catch (error) {
    if (error instanceof ConfigError) exitWith(error.message);
    throw error;
  }
}

/** The logger every entry point uses: LOG_LEVEL and LOG_FORMAT, to stderr. */
export function createConfiguredLogger(config: Config): Logger {
  return createLogger(config.logLevel, undefined, config.logFormat);
}

/** Download and index progress: bars on a terminal, except under JSON logs (one object per line). */
export function createConfiguredProgress(config: Config, logger: Logger): ProgressReporters {
  return createProgressReporters(logger, process.stderr, { bars: config.logFormat === 'text' && process.stderr.isTTY === true });
}

export async function startServiceOrExit(config: Config, logger: Logger = createConfiguredLogger(config)): Promise<AnswerService> {
  const progress = createConfiguredProgress(config, logger);
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

/** Ends start-up with one line saying what to fix (a JSON `error` line under LOG_FORMAT=json) and exit code 1. */
export function exitWith(message: string): never {
  const line = exitLineFormat === 'json' ? formatJsonLine(new Date().toISOString(), 'error', message, undefined) : message;
  process.stderr.write(`${scrub(line)}\n`);
  process.exit(1);
}
