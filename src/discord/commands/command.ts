import {
  ApplicationIntegrationType,
  InteractionContextType,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from '../context.js';

/**
 * Every command works wherever Discord allows one: with the app installed to a server or to a
 * user's own account, and used in servers, in DMs with the bot, and in group DMs ("private
 * channels", which only user-installed apps reach). Commands registered to one server
 * (DISCORD_GUILD_ID) exist only there, whatever these say.
 */
export const INSTALL_TYPES = [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall] as const;
export const CONTEXTS = [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel] as const;

/**
 * The shape of one command file: its definition (shared by `register.ts` and the router) and its
 * handler. `kind` says which kind of interaction it handles, so the router never guesses.
 */
export interface SlashCommand {
  readonly kind: 'slash';
  readonly data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}

export interface MessageMenuCommand {
  readonly kind: 'message-menu';
  readonly data: { readonly name: string; toJSON(): RESTPostAPIContextMenuApplicationCommandsJSONBody };
  execute(interaction: MessageContextMenuCommandInteraction, ctx: BotContext): Promise<void>;
}

export type Command = SlashCommand | MessageMenuCommand;
