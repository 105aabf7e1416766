import { exitWith, startServiceOrExit } from '../cli/bootstrap.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Operations } from '../ops/index.js';
import { noMetrics } from '../ops/metrics.js';
import { DiscordLoginError, startBot } from './bot.js';
import { describeError } from './respond.js';

/**
 * The bot's entry point, called by `src/main.ts` when DISCORD_TOKEN is set: builds the answer
 * service (article, model, index), logs in, and shuts down cleanly on SIGINT/SIGTERM.
 */
/**
 * Handlers catch their own failures; this is the last line of defence for a stray promise in a
 * dependency, which should be logged rather than take the bot down: one error line, and the
 * stack at debug level (LOG_LEVEL=debug) to find where it came from.
 */
export function logUnhandledRejection(logger: Logger): (reason: unknown) => void {
  return (reason) => {
    logger.error('Unhandled rejection', { error: describeError(reason) });
    if (reason instanceof Error && reason.stack) logger.debug('Unhandled rejection stack', { stack: reason.stack });
  };
}

/**
 * @param ops health and metrics, when METRICS_PORT is set: `/healthz` turns 200 once the index is
 *   loaded and every shard is ready, and questions, votes and the gateway are counted.
 */
export async function runBot(config: Config, logger: Logger, ops?: Operations): Promise<void> {
  process.on('unhandledRejection', logUnhandledRejection(logger));

  ops?.health.expectShards();
  const service = await startServiceOrExit(config, logger);
  ops?.health.serviceReady(service);
  let bot: Awaited<ReturnType<typeof startBot>>;
  try {
    bot = await startBot({ config, service, logger, metrics: ops?.metrics ?? noMetrics });
  } catch (error) {
    if (error instanceof DiscordLoginError) exitWith(error.message);
    throw error;
  }
  ops?.watchShards(() => bot.shards());

  // Discord will not take this connection back (token reset, intent revoked): exit non-zero with
  // what to fix rather than stay up offline.
  void bot.disconnected.then(async (reason) => {
    await bot.stop().catch(() => undefined);
    exitWith(reason);
  });

  const shutdown = (signal: string) => {
    logger.info(`Received ${signal}; disconnecting`);
    Promise.all([bot.stop(), ops?.close()]).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('Shutdown failed', { error: describeError(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}
