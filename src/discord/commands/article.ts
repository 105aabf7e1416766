import { SlashCommandBuilder } from 'discord.js';
import { ARTICLE_OPTION_MAX, articleChoices, renderLibraryPage, resolveArticle } from '../library-view.js';
import { renderArticle } from '../render.js';
import { replyToInteraction, respondWithChoices } from '../respond.js';
import { CONTEXTS, INSTALL_TYPES, type Command } from './command.js';

/**
 * `/article [name] [page]` — with a name, that article's card (headline, author, date, passages,
 * lead); without, the list of articles a page at a time — or, when there is only one article, its
 * card, as before there were several. Instant, so it replies directly, in the channel.
 */
const data = new SlashCommandBuilder()
  .setName('article')
  .setDescription('The articles I answer about: the list, or one article (headline, author, date, summary).')
  .setIntegrationTypes(...INSTALL_TYPES)
  .setContexts(...CONTEXTS)
  .addStringOption((option) =>
    option.setName('name').setDescription('Show this article — type words of its headline; leave empty for the list').setAutocomplete(true).setMaxLength(ARTICLE_OPTION_MAX),
  )
  .addIntegerOption((option) => option.setName('page').setDescription('Page of the list of articles').setMinValue(1));

export default {
  kind: 'slash',
  data,
  async execute(interaction, ctx) {
    const library = ctx.service.library;
    const name = interaction.options.getString('name');
    const page = interaction.options.getInteger('page');
    const reply =
      name !== null
        ? renderArticle(resolveArticle(library, name), ctx.service.mode, library.size)
        : library.size === 1 && page === null
          ? renderArticle(library.latest, ctx.service.mode)
          : renderLibraryPage(library, page ?? 1);
    await replyToInteraction(interaction, reply, { ephemeral: false });
  },
  async autocomplete(interaction, ctx) {
    await respondWithChoices(interaction, articleChoices(ctx.service.library, interaction.options.getFocused()), ctx.logger);
  },
} satisfies Command;
