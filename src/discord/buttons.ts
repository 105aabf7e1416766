import { MessageFlags, type ButtonInteraction } from 'discord.js';
import type { Library } from '../core/library.js';
import type { Article } from '../core/types.js';
import { UserError } from '../errors.js';
import type { RememberedAnswer } from './answer-memory.js';
import type { BotContext } from './context.js';
import { cooldownNotice } from './cooldown.js';
import { findArticleByRef, parseCustomId, type Vote } from './custom-ids.js';
import { libraryPageCount, renderLibraryPage } from './library-view.js';
import { articleContext, recoverAnswerFromEmbed, renderPassages } from './render.js';
import { replyToInteraction, updateInteractionMessage } from './respond.js';

/**
 * Clicks on the buttons under an answer. Everything needed is in the custom id (and, for votes,
 * the answer message itself), so buttons keep working after a restart.
 */
export async function handleButton(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const action = parseCustomId(interaction.customId);
  if (!action) throw new UserError('This button is no longer supported — ask again for a fresh answer.');
  if (action.kind === 'passages') {
    const article = passagesArticle(ctx.service.library, action.article, interaction.message.embeds[0]?.author?.name);
    // Ephemeral: the passages are for whoever clicked, not a new post in the channel. The reply is
    // the acknowledgement (rendering is immediate); long passages continue in private follow-ups.
    await replyToInteraction(interaction, renderPassages(article, action.passages), { ephemeral: true });
    return;
  }
  if (action.kind === 'library') {
    await showLibraryPage(interaction, ctx, action.page);
    return;
  }
  await recordVote(interaction, ctx, action.vote, action.answerId);
}

/**
 * The article a Show passages button is about: the one its reference names. A button from before
 * buttons named their article is about the only article, or the one the answer's context line
 * names.
 * @throws UserError when that article is no longer in the library.
 */
function passagesArticle(library: Library, ref: string | undefined, contextLine: string | undefined): Article {
  let article: Article | undefined;
  if (ref !== undefined) article = findArticleByRef(library, ref);
  else if (library.size === 1) article = library.latest;
  else article = library.articles.find((a) => articleContext(a) === contextLine);
  if (!article) throw new UserError('The article these passages come from is no longer in the library. Ask again for a fresh answer (`/article` lists the articles).');
  return article;
}

/**
 * A ◀ / ▶ click under the list of articles. Whoever ran `/article` (or anyone, on a private copy)
 * turns the page in place; anyone else gets the page privately, so a public list does not change
 * under the people reading it.
 */
async function showLibraryPage(interaction: ButtonInteraction, ctx: BotContext, page: number): Promise<void> {
  const library = ctx.service.library;
  const reply = renderLibraryPage(library, Math.min(page, libraryPageCount(library)));
  const ownList = interaction.message.flags.has(MessageFlags.Ephemeral) || interaction.message.interactionMetadata?.user.id === interaction.user.id;
  if (ownList) await updateInteractionMessage(interaction, reply);
  else await replyToInteraction(interaction, reply, { ephemeral: true });
}

/**
 * The answer a vote is about, read back from its message after a restart: the text from the
 * embed, the article from the Show passages button's reference.
 */
function recoverFromMessage(interaction: ButtonInteraction, library: Library): RememberedAnswer | undefined {
  const answer = recoverAnswerFromEmbed(interaction.message.embeds[0]?.toJSON());
  if (!answer) return undefined;
  const ids = JSON.stringify(interaction.message.components.map((row) => row.toJSON()));
  const ref = /"custom_id":"passages:([A-Za-z0-9_-]{8}):/.exec(ids)?.[1];
  const article = ref ? findArticleByRef(library, ref) : undefined;
  return article ? { ...answer, article: article.id } : answer;
}

/**
 * A 👍/👎 click: counted against the voter's limit, acknowledged (privately, "thinking…") before
 * anything touches the disk — a slow write must not run past Discord's 3-second deadline — then
 * written, then confirmed by editing that acknowledgement.
 */
async function recordVote(interaction: ButtonInteraction, ctx: BotContext, vote: Vote, answerId: string): Promise<void> {
  const verdict = ctx.voteCooldown.take(interaction.user.id);
  if (!verdict.ok) throw new UserError(cooldownNotice(verdict.retryAfterMs, ctx.rateLimit, 'vote'));
  const answer: RememberedAnswer | undefined = ctx.answers.recall(answerId) ?? recoverFromMessage(interaction, ctx.service.library);
  if (!answer) throw new UserError('I could not find the answer this vote is for — it may have been edited.');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await ctx.feedback.record({
    time: new Date().toISOString(),
    userId: interaction.user.id,
    vote,
    question: answer.question,
    answer: answer.answer,
    citations: answer.citations,
    ...(answer.article ? { article: answer.article } : {}),
    answerId,
    messageId: interaction.message.id,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
  });
  ctx.metrics.vote(vote);
  ctx.logger.info('Feedback recorded', { vote, answerId, userId: interaction.user.id });
  await replyToInteraction(interaction, { content: `Thanks — recorded ${vote === 'up' ? '👍' : '👎'}` }, { ephemeral: true });
}
