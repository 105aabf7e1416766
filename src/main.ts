import { runInteractive } from './cli/interactive.js';
import { createConfiguredLogger, exitWhenWritten, exitWith, loadConfigOrExit, startServiceOrExit } from './cli/bootstrap.js';
import type { Operations } from './ops/index.js';

/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set, the local assistant otherwise; with
 * METRICS_PORT, `/healthz` and `/metrics` are served from the start (503 until ready).
 */
const config = loadConfigOrExit();
const logger = createConfiguredLogger(config);

let ops: Operations | undefined;
if (config.metrics) {
  const { startOperations } = await import('./ops/index.js');
  const { OpsServerError } = await import('./ops/server.js');
  try {
    ops = await startOperations(config.metrics, logger);
  } catch (error) {
    if (error instanceof OpsServerError) exitWith(error.message);
    throw error;
  }
}

if (config.discord.token) {
  const { runBot } = await import('./discord/main.js');
  await runBot(config, logger, ops);
} else {
  const service = await startServiceOrExit(config, logger);
  ops?.health.serviceReady(service);
  await runInteractive(service, process.stdin, process.stdout, ops?.metrics);
  await ops?.close();
  exitWhenWritten();
}
