import { createAnswerService } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { AnswerService } from '../../src/core/service.js';
import { startBot, type RunningBot, type StartBotOptions } from '../../src/discord/bot.js';
import { registerCommands } from '../../src/discord/register.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './fake-discord/index.js';
import { memoryLogger, testConfig } from './service.js';

/**
 * The whole product against a fake Discord: the real answer service (seed article, generated
 * model), commands registered with the real register script, and the real bot logged in with an
 * unmodified discord.js client through DISCORD_API_URL.
 */
export interface BotHarness {
  readonly fake: FakeDiscord;
  readonly bot: RunningBot;
  readonly config: Config;
  readonly service: AnswerService;
  /** Every line the bot logged (register script and bot). */
  readonly logger: ReturnType<typeof memoryLogger>;
  /** Destroys the client, then closes the fake. */
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /**
   * Environment-style settings on top of the test defaults (e.g. `{ AUTO_THREAD: 'true' }`), or a
   * function of the fake returning them (settings naming what `prepare` created, like a role id).
   */
  readonly env?: Record<string, string> | ((fake: FakeDiscord) => Record<string, string>);
  readonly fake?: FakeDiscordOptions;
  /** Reuse one service across harnesses (it is read-only) to save start-up time. */
  readonly service?: AnswerService;
  readonly bot?: Pick<StartBotOptions, 'deferAfterMs' | 'loginTimeoutMs' | 'feedback' | 'metrics'>;
  /** Runs on the fake before the bot logs in (e.g. to add guilds READY should list). */
  readonly prepare?: (fake: FakeDiscord) => void;
  /** The clock of the service's conversations and of the bot's memory (a test moves it instead of waiting). */
  readonly now?: () => number;
}

export async function startBotHarness(options: HarnessOptions = {}): Promise<BotHarness> {
  const fake = await startFakeDiscord(options.fake);
  const logger = memoryLogger();
  try {
    options.prepare?.(fake);
    const config = await testConfig({
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_GUILD_ID: fake.guild.id,
      ...(typeof options.env === 'function' ? options.env(fake) : options.env),
    });
    const service = options.service ?? (await createAnswerService(config, { logger, now: options.now }));
    await registerCommands({ config, logger });
    const bot = await startBot({ config, service, logger, ...options.bot, ...(options.now ? { now: options.now } : {}) });
    await fake.waitForSession();
    return {
      fake,
      bot,
      config,
      service,
      logger,
      async stop() {
        await bot.stop();
        await fake.close();
      },
    };
  } catch (error) {
    await fake.close();
    throw error;
  }
}
