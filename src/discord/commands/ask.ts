import { SlashCommandBuilder } from 'discord.js';
import { MAX_QUESTION_CHARS } from '../../limits.js';
import { answerQuestion, handleQuestion, type QuestionTrack } from '../answering.js';
import { conversationKey, interactionPlace } from '../conversations.js';
import { ARTICLE_OPTION_MAX, articleChoices, resolveArticle } from '../library-view.js';
import { answerInteractionWithin, respondWithChoices } from '../respond.js';
import { shardFor } from '../shards.js';
import { stripMentionsOf } from '../text.js';
import { CONTEXTS, INSTALL_TYPES, type Command } from './command.js';

/**
 * `/ask question private article` — the main way to ask; the answer may take a while (cold model),
 * so it may defer. `article` (autocomplete by headline) restricts the question to one article.
 */
const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask a question about the article; the answer quotes it and cites its paragraphs.')
  .setIntegrationTypes(...INSTALL_TYPES)
  .setContexts(...CONTEXTS)
  .addStringOption((option) =>
    option.setName('question').setDescription('Your question').setRequired(true).setMaxLength(MAX_QUESTION_CHARS),
  )
  .addBooleanOption((option) => option.setName('private').setDescription('Show the answer only to you (default: everyone sees it)'))
  .addStringOption((option) =>
    option.setName('article').setDescription('Ask this article only — type words of its headline (default: the best-matching one)').setAutocomplete(true).setMaxLength(ARTICLE_OPTION_MAX),
  );

export default {
  kind: 'slash',
  data,
  async execute(interaction, ctx) {
    const ephemeral = interaction.options.getBoolean('private') ?? false;
    // "@Bot" typed into the option arrives as <@id>: addressing the bot is not part of the question.
    const question = stripMentionsOf(interaction.options.getString('question', true), interaction.client.user.id);
    const chosen = interaction.options.getString('article');
    // In a DM or a thread, the same conversation as the messages there (see conversations.ts).
    const place = interactionPlace(interaction, { private: ephemeral });
    const conversation = conversationKey(place);
    const answer = (track: QuestionTrack, article: string | undefined) =>
      answerQuestion(ctx, question, interaction.user.id, { track, conversation, article }).then((reply) => {
        // A public answer makes the thread one the bot answers in, before anyone can read it.
        if (!ephemeral && place.threadId !== undefined) ctx.conversations.answeredInThread(place.threadId);
        return reply;
      });
    await handleQuestion(ctx, { surface: 'slash', shard: shardFor(interaction.client, interaction.guildId) }, (track) => {
      // An article that does not exist is refused before the question counts against the limit.
      const article = chosen === null ? undefined : resolveArticle(ctx.service.library, chosen).id;
      return answerInteractionWithin(interaction, answer(track, article), {
        ephemeral,
        deferAfterMs: ctx.deferAfterMs,
      });
    });
  },
  async autocomplete(interaction, ctx) {
    await respondWithChoices(interaction, articleChoices(ctx.service.library, interaction.options.getFocused()), ctx.logger);
  },
} satisfies Command;
