import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { UserError } from '../errors.js';
import type { RememberedAnswer } from './answer-memory.js';
import type { BotContext } from './context.js';
import { cooldownNotice } from './cooldown.js';
import { parseCustomId, type Vote } from './custom-ids.js';
import { recoverAnswerFromEmbed, renderPassages } from './render.js';
import { replyToInteraction } from './respond.js';

/**
 * Clicks on the buttons under an answer. Everything needed is in the custom id (and, for votes,
 * the answer message itself), so buttons keep working after a restart.
 */
export async function handleButton(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const action = parseCustomId(interaction.customId);
  if (!action) throw new UserError('This button is no longer supported — ask again for a fresh answer.');
  if (action.kind === 'passages') {
    // Ephemeral: the passages are for whoever clicked, not a new post in the channel. The reply is
    // the acknowledgement (rendering is immediate); long passages continue in private follow-ups.
    await replyToInteraction(interaction, renderPassages(ctx.service.library.latest, action.passages), { ephemeral: true });
    return;
  }
  await recordVote(interaction, ctx, action.vote, action.answerId);
}

/**
 * A 👍/👎 click: counted against the voter's limit, acknowledged (privately, "thinking…") before
 * anything touches the disk — a slow write must not run past Discord's 3-second deadline — then
 * written, then confirmed by editing that acknowledgement.
 */
async function recordVote(interaction: ButtonInteraction, ctx: BotContext, vote: Vote, answerId: string): Promise<void> {
  const verdict = ctx.voteCooldown.take(interaction.user.id);
  if (!verdict.ok) throw new UserError(cooldownNotice(verdict.retryAfterMs, ctx.rateLimit, 'vote'));
  const answer: RememberedAnswer | undefined =
    ctx.answers.recall(answerId) ?? recoverAnswerFromEmbed(interaction.message.embeds[0]?.toJSON());
  if (!answer) throw new UserError('I could not find the answer this vote is for — it may have been edited.');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await ctx.feedback.record({
    time: new Date().toISOString(),
    userId: interaction.user.id,
    vote,
    question: answer.question,
    answer: answer.answer,
    citations: answer.citations,
    answerId,
    messageId: interaction.message.id,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
  });
  ctx.metrics.vote(vote);
  ctx.logger.info('Feedback recorded', { vote, answerId, userId: interaction.user.id });
  await replyToInteraction(interaction, { content: `Thanks — recorded ${vote === 'up' ? '👍' : '👎'}` }, { ephemeral: true });
}
