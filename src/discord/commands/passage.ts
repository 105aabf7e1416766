import { SlashCommandBuilder } from 'discord.js';
import { ARTICLE_OPTION_MAX, articleChoices, articleOrDefault, resolveArticle } from '../library-view.js';
import { passageChoices, renderPassage } from '../render.js';
import { replyToInteraction, respondWithChoices } from '../respond.js';
import { CONTEXTS, INSTALL_TYPES, type Command } from './command.js';

/**
 * `/passage number [article]` — one paragraph in full, of the article picked or else of the only
 * (or most recent) one. No max_value: the range belongs to the article, which can change without
 * re-registering, so an out-of-range number gets an explanation instead.
 */
const data = new SlashCommandBuilder()
  .setName('passage')
  .setDescription('Show one paragraph of an article in full.')
  .setIntegrationTypes(...INSTALL_TYPES)
  .setContexts(...CONTEXTS)
  .addIntegerOption((option) =>
    option.setName('number').setDescription('Paragraph number (¶) — type a number or words to search').setRequired(true).setMinValue(1).setAutocomplete(true),
  )
  .addStringOption((option) =>
    option.setName('article').setDescription('Of this article — type words of its headline (default: the most recent)').setAutocomplete(true).setMaxLength(ARTICLE_OPTION_MAX),
  );

export default {
  kind: 'slash',
  data,
  async execute(interaction, ctx) {
    const library = ctx.service.library;
    const chosen = interaction.options.getString('article');
    const article = chosen === null ? library.latest : resolveArticle(library, chosen);
    const number = interaction.options.getInteger('number', true);
    await replyToInteraction(interaction, renderPassage(article, number), { ephemeral: false });
  },
  async autocomplete(interaction, ctx) {
    const library = ctx.service.library;
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'article') {
      await respondWithChoices(interaction, articleChoices(library, String(focused.value)), ctx.logger);
      return;
    }
    // Numbers of the article picked so far (what is typed there may not name one yet).
    const article = articleOrDefault(library, interaction.options.getString('article'));
    // An integer option's partial input still arrives as text while the user types.
    await respondWithChoices(interaction, passageChoices(article, String(focused.value)), ctx.logger);
  },
} satisfies Command;
