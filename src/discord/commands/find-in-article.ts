import { ApplicationCommandType, ContextMenuCommandBuilder } from 'discord.js';
import { UserError } from '../../errors.js';
import { MAX_QUESTION_CHARS } from '../../limits.js';
import { answerQuestion, handleQuestion } from '../answering.js';
import { answerInteractionWithin } from '../respond.js';
import { shardFor } from '../shards.js';
import { CONTEXTS, INSTALL_TYPES, type Command } from './command.js';

/**
 * Message context menu "Find in article": looks up another message's text as a question. Always
 * ephemeral — the person clicking asked, not the author of the message.
 */
const data = new ContextMenuCommandBuilder()
  .setName('Find in article')
  .setType(ApplicationCommandType.Message)
  .setIntegrationTypes(...INSTALL_TYPES)
  .setContexts(...CONTEXTS);

export default {
  kind: 'message-menu',
  data,
  async execute(interaction, ctx) {
    await handleQuestion(ctx, { surface: 'context-menu', shard: shardFor(interaction.client, interaction.guildId) }, async (track) => {
      const text = interaction.targetMessage.content.replace(/\s+/g, ' ').trim();
      // Say what is wrong with *the message*; the core's wording speaks of "your question".
      if (text === '') throw new UserError('That message has no text to look up (only attachments, embeds or stickers).');
      if (text.length > MAX_QUESTION_CHARS) {
        throw new UserError(`That message is ${text.length} characters long; I can look up messages of up to ${MAX_QUESTION_CHARS}.`);
      }
      await answerInteractionWithin(interaction, answerQuestion(ctx, text, interaction.user.id, { track }), {
        ephemeral: true,
        deferAfterMs: ctx.deferAfterMs,
      });
    });
  },
} satisfies Command;
