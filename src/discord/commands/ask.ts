import { SlashCommandBuilder } from 'discord.js';
import { MAX_QUESTION_CHARS } from '../../limits.js';
import { answerQuestion, handleQuestion, type QuestionTrack } from '../answering.js';
import { conversationKey, interactionPlace } from '../conversations.js';
import { answerInteractionWithin } from '../respond.js';
import { shardFor } from '../shards.js';
import { stripMentionsOf } from '../text.js';
import { CONTEXTS, INSTALL_TYPES, type Command } from './command.js';

/** `/ask question private` — the main way to ask; the answer may take a while (cold model), so it may defer. */
const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask a question about the article; the answer quotes it and cites its paragraphs.')
  .setIntegrationTypes(...INSTALL_TYPES)
  .setContexts(...CONTEXTS)
  .addStringOption((option) =>
    option.setName('question').setDescription('Your question').setRequired(true).setMaxLength(MAX_QUESTION_CHARS),
  )
  .addBooleanOption((option) => option.setName('private').setDescription('Show the answer only to you (default: everyone sees it)'));

export default {
  kind: 'slash',
  data,
  async execute(interaction, ctx) {
    const ephemeral = interaction.options.getBoolean('private') ?? false;
    // "@Bot" typed into the option arrives as <@id>: addressing the bot is not part of the question.
    const question = stripMentionsOf(interaction.options.getString('question', true), interaction.client.user.id);
    // In a DM or a thread, the same conversation as the messages there (see conversations.ts).
    const place = interactionPlace(interaction, { private: ephemeral });
    const conversation = conversationKey(place);
    const answer = (track: QuestionTrack) =>
      answerQuestion(ctx, question, interaction.user.id, { track, conversation }).then((reply) => {
        // A public answer makes the thread one the bot answers in, before anyone can read it.
        if (!ephemeral && place.threadId !== undefined) ctx.conversations.answeredInThread(place.threadId);
        return reply;
      });
    await handleQuestion(ctx, { surface: 'slash', shard: shardFor(interaction.client, interaction.guildId) }, (track) =>
      answerInteractionWithin(interaction, answer(track), {
        ephemeral,
        deferAfterMs: ctx.deferAfterMs,
      }),
    );
  },
} satisfies Command;
