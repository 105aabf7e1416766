import { runInteractive } from './cli/interactive.js';
import { createConfiguredLogger, exitWhenWritten, loadConfigOrExit, startServiceOrExit } from './cli/bootstrap.js';

/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set, the local assistant otherwise.
 */
const config = loadConfigOrExit();
const logger = createConfiguredLogger(config);

if (config.discord.token) {
  const { runBot } = await import('./discord/main.js');
  await runBot(config, logger);
} else {
  const service = await startServiceOrExit(config, logger);
  await runInteractive(service);
  exitWhenWritten();
}
