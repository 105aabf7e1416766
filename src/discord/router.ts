import type { Interaction } from 'discord.js';
import { UserError } from '../errors.js';
import { handleButton } from './buttons.js';
import type { Command } from './commands/index.js';
import type { BotContext } from './context.js';
import { describeError, replyWithFailure, respondWithChoices, type FailureContext } from './respond.js';
import { shardFor } from './shards.js';

/**
 * Dispatches every interaction to its command or button handler, given the commands explicitly.
 * The returned handler never rejects: failures are logged and answered (see `replyWithFailure`),
 * so an error in one handler can neither crash the process nor leave "The application did not
 * respond".
 */
export function createInteractionHandler(commands: ReadonlyMap<string, Command>, ctx: BotContext): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    const where: Omit<FailureContext, 'handler'> = {
      shard: shardFor(interaction.client, interaction.guildId),
      userId: interaction.user.id,
      guildId: interaction.guildId,
      channelId: interaction.channelId,
    };

    if (interaction.isAutocomplete()) {
      const command = commands.get(interaction.commandName);
      try {
        if (command?.kind === 'slash' && command.autocomplete) await command.autocomplete(interaction, ctx);
        else await respondWithChoices(interaction, [], ctx.logger);
      } catch (error) {
        ctx.logger.error('Autocomplete failed', { handler: `/${interaction.commandName}`, ...where, error: describeError(error) });
        await respondWithChoices(interaction, [], ctx.logger);
      }
      return;
    }

    if (!interaction.isRepliable()) return;
    const handler = interaction.isCommand() ? `/${interaction.commandName}` : interaction.isButton() ? `button ${interaction.customId}` : `interaction type ${interaction.type}`;
    try {
      if (interaction.isChatInputCommand()) {
        const command = commands.get(interaction.commandName);
        if (command?.kind !== 'slash') throw unknownCommand();
        await command.execute(interaction, ctx);
      } else if (interaction.isMessageContextMenuCommand()) {
        const command = commands.get(interaction.commandName);
        if (command?.kind !== 'message-menu') throw unknownCommand();
        await command.execute(interaction, ctx);
      } else if (interaction.isButton()) {
        await handleButton(interaction, ctx);
      } else {
        throw new UserError('I do not handle that kind of interaction.');
      }
    } catch (error) {
      await replyWithFailure(interaction, error, ctx.logger, { handler, ...where });
    }
  };
}

/** A command Discord still shows but this version no longer has (registration is out of date). */
function unknownCommand(): UserError {
  return new UserError('That command is not available any more — try `/help`.');
}
