import { checkQuestion } from '../core/question.js';
import { UserError } from '../errors.js';
import type { BotContext } from './context.js';
import { cooldownNotice } from './cooldown.js';
import { newAnswerId } from './custom-ids.js';
import { renderAnswer } from './render.js';
import { withoutMentionMarkup } from './text.js';
import type { Reply } from './respond.js';

/**
 * The question flow shared by /ask, "Find in article", mentions and DMs: admit the question
 * (the core's check, then the per-user limit), answer it with the core, remember the answer for
 * feedback, render it.
 */

/**
 * The normalised question, counted against the asker's limit.
 * @throws UserError with the core's refusal (empty, too long, no words) or the cooldown notice.
 */
export function admitQuestion(ctx: BotContext, raw: string, userId: string): string {
  const check = checkQuestion(raw);
  if (!check.ok) throw new UserError(check.message);
  const verdict = ctx.cooldown.take(userId);
  if (!verdict.ok) throw new UserError(cooldownNotice(verdict.retryAfterMs, ctx.rateLimit));
  return check.question;
}

/** Answers an admitted question and renders the reply (with its feedback buttons). */
export async function composeAnswer(ctx: BotContext, question: string): Promise<Reply> {
  // Mentions stay in the echoed question (harmlessly escaped) but are no part of what is asked.
  const result = await ctx.service.answer(withoutMentionMarkup(question));
  const answerId = newAnswerId();
  ctx.answers.remember(answerId, {
    question,
    answer: result.answer,
    citations: result.citations.map((c) => ({ passage: c.passage, score: c.score, quote: c.quote })),
  });
  return renderAnswer({ article: (result.article ? ctx.service.library.get(result.article) : undefined) ?? ctx.service.library.latest, question, result, answerId });
}

/**
 * `admitQuestion` then `composeAnswer`. Refusals reject immediately (before any deadline), so
 * they are answered ephemerally rather than in a public "thinking…" reply.
 */
export async function answerQuestion(ctx: BotContext, raw: string, userId: string): Promise<Reply> {
  const question = admitQuestion(ctx, raw, userId);
  return composeAnswer(ctx, question);
}
