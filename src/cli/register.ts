import { RegisterError, registerCommands } from '../discord/register.js';
import { createConfiguredLogger, exitWith, loadConfigOrExit } from './bootstrap.js';

/**
 * `npm run register`: registers the commands once, and again whenever they change — globally, or
 * to DISCORD_GUILD_ID while developing. Problems end it with one line saying what to fix.
 */
const config = loadConfigOrExit();
const logger = createConfiguredLogger(config);
if (!config.discord.token) exitWith('DISCORD_TOKEN is not set: add it to .env (Developer Portal → Bot → Reset Token), then run `npm run register` again.');
try {
  await registerCommands({ config, logger });
} catch (error) {
  if (error instanceof RegisterError) exitWith(error.message);
  throw error;
}
