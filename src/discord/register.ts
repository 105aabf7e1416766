import { DiscordAPIError, REST, Routes, type RESTGetCurrentApplicationResult, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import type { Config } from '../config.js';
import { redact, scrub, type Logger } from '../log.js';
import { explainUnreachable } from './bot.js';
import { commands } from './commands/index.js';

/**
 * Puts the command definitions from `commands/` on Discord — to DISCORD_GUILD_ID when set
 * (instant), else globally (can take up to an hour to appear). `npm run register`
 * (src/cli/register.ts) runs it; the bot never registers on start.
 */

/** Registration failed; the message is one actionable line without the token. */
export class RegisterError extends Error {
  override name = 'RegisterError';
}

export interface RegisterOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** The HTTP client under `REST` (defaults to the global fetch); tests pass their own. */
  readonly fetchImpl?: typeof fetch;
}

export interface RegisterResult {
  readonly applicationId: string;
  /** undefined when registered globally. */
  readonly guildId: string | undefined;
  readonly names: readonly string[];
}

/** @throws RegisterError for a missing or rejected token, unknown guild, missing access or network failure. */
export async function registerCommands({ config, logger, fetchImpl }: RegisterOptions): Promise<RegisterResult> {
  const { token, clientId, guildId, apiUrl } = config.discord;
  if (!token) throw new RegisterError('DISCORD_TOKEN is not set; registering commands needs the bot token.');
  redact(token);

  const restOptions: ConstructorParameters<typeof REST>[0] = {};
  // Only when set: `api: undefined` makes every request fail with "Invalid URL".
  if (apiUrl) restOptions.api = apiUrl;
  // Node's fetch satisfies REST's ResponseLike at run time; the types differ only because
  // @types/node and discord.js pin different copies of undici's type declarations.
  if (fetchImpl) restOptions.makeRequest = fetchImpl as unknown as NonNullable<typeof restOptions.makeRequest>;
  const rest = new REST(restOptions).setToken(token);

  try {
    const applicationId = clientId ?? ((await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult).id;
    const body = commands.map((command) => command.data.toJSON());
    const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
    const registered = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
    const names = registered.map((c) => c.name);
    logger.info(
      `Registered ${names.length} command${names.length === 1 ? '' : 's'} ${guildId ? `to guild ${guildId} (available now)` : 'globally (may take up to an hour to appear)'}: ${names.join(', ')}`,
      { applicationId },
    );
    return { applicationId, guildId, names };
  } catch (error) {
    throw new RegisterError(scrub(explainRegisterFailure(error, { guildId, apiUrl })));
  }
}

function explainRegisterFailure(error: unknown, { guildId, apiUrl }: { guildId: string | undefined; apiUrl: string | undefined }): string {
  if (error instanceof DiscordAPIError) {
    switch (error.status) {
      case 401:
        return 'Discord rejected DISCORD_TOKEN (401 Unauthorized). Copy a fresh token from the Developer Portal (Bot → Reset Token) into .env.';
      case 403:
        return guildId
          ? `Discord refused access to guild ${guildId} (403): invite the bot there with the applications.commands scope, or unset DISCORD_GUILD_ID to register globally.`
          : `Discord refused the registration (403): ${error.message}`;
      case 404:
        return guildId
          ? `Discord does not know guild ${guildId} or application (404): check DISCORD_GUILD_ID and DISCORD_CLIENT_ID.`
          : 'Discord does not know this application (404): check DISCORD_CLIENT_ID, or leave it empty to read it from the token.';
      default:
        return `Discord rejected the commands (${error.status}): ${error.message}`;
    }
  }
  const unreachable = explainUnreachable(error, apiUrl);
  if (unreachable) return unreachable;
  return `Could not register the commands: ${error instanceof Error ? error.message : String(error)}`;
}
