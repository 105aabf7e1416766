import { SlashCommandBuilder } from 'discord.js';
import { renderArticle } from '../render.js';
import { replyToInteraction } from '../respond.js';
import { CONTEXTS, INSTALL_TYPES, type Command } from './command.js';

/** `/article` — what the article is; instant, so it replies directly. */
const data = new SlashCommandBuilder()
  .setName('article')
  .setDescription('What the article is: headline, author, date, summary, and how to ask.')
  .setIntegrationTypes(...INSTALL_TYPES)
  .setContexts(...CONTEXTS);

export default {
  kind: 'slash',
  data,
  async execute(interaction, ctx) {
    await replyToInteraction(interaction, renderArticle(ctx.service.library.latest, ctx.service.mode), { ephemeral: false });
  },
} satisfies Command;
