import { SlashCommandBuilder } from 'discord.js';
import { passageChoices, renderPassage } from '../render.js';
import { replyToInteraction, respondWithChoices } from '../respond.js';
import { CONTEXTS, INSTALL_TYPES, type Command } from './command.js';

/**
 * `/passage number` — one paragraph in full. No max_value: the range belongs to the article, which
 * can change without re-registering, so an out-of-range number gets an explanation instead.
 */
const data = new SlashCommandBuilder()
  .setName('passage')
  .setDescription('Show one paragraph of the article in full.')
  .setIntegrationTypes(...INSTALL_TYPES)
  .setContexts(...CONTEXTS)
  .addIntegerOption((option) =>
    option.setName('number').setDescription('Paragraph number (¶) — type a number or words to search').setRequired(true).setMinValue(1).setAutocomplete(true),
  );

export default {
  kind: 'slash',
  data,
  async execute(interaction, ctx) {
    const number = interaction.options.getInteger('number', true);
    await replyToInteraction(interaction, renderPassage(ctx.service.library.latest, number), { ephemeral: false });
  },
  async autocomplete(interaction, ctx) {
    // An integer option's partial input still arrives as text while the user types.
    const typed = String(interaction.options.getFocused(true).value);
    await respondWithChoices(interaction, passageChoices(ctx.service.library.latest, typed), ctx.logger);
  },
} satisfies Command;
