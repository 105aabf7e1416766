import { SlashCommandBuilder, userMention } from 'discord.js';
import { renderHelp } from '../render.js';
import { replyToInteraction } from '../respond.js';
import { CONTEXTS, INSTALL_TYPES, type Command } from './command.js';

/** `/help` — shown only to whoever asked: it is for them, not for the channel. */
const data = new SlashCommandBuilder()
  .setName('help')
  .setDescription('How to ask the bot about the article.')
  .setIntegrationTypes(...INSTALL_TYPES)
  .setContexts(...CONTEXTS);

export default {
  kind: 'slash',
  data,
  async execute(interaction, ctx) {
    const reply = renderHelp({
      article: ctx.service.library.latest,
      botMention: userMention(interaction.client.user.id),
      rateLimit: ctx.rateLimit,
      librarySize: ctx.service.library.size,
    });
    await replyToInteraction(interaction, reply, { ephemeral: true });
  },
} satisfies Command;
