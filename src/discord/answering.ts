import { checkQuestion } from '../core/question.js';
import type { AnswerResult } from '../core/types.js';
import { UserError } from '../errors.js';
import type { QuestionOutcome, QuestionSurface } from '../ops/metrics.js';
import type { BotContext } from './context.js';
import { CooldownError, cooldownNotice } from './cooldown.js';
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
 * @throws UserError with the core's refusal (empty, too long, no words), or CooldownError.
 */
export function admitQuestion(ctx: BotContext, raw: string, userId: string): string {
  const check = checkQuestion(raw);
  if (!check.ok) throw new UserError(check.message);
  const verdict = ctx.cooldown.take(userId);
  if (!verdict.ok) throw new CooldownError(cooldownNotice(verdict.retryAfterMs, ctx.rateLimit));
  return check.question;
}

/** How a question is asked: counted, restricted to one article, in a conversation. */
export interface AskContext {
  readonly track?: QuestionTrack | undefined;
  /** Answer from this article only (its id). */
  readonly article?: string | undefined;
  /** The conversation the question belongs to (see the core's conversations). */
  readonly conversation?: string | undefined;
}

/** Answers an admitted question and renders the reply (with its feedback buttons). */
export async function composeAnswer(ctx: BotContext, question: string, { track, article, conversation }: AskContext = {}): Promise<Reply> {
  // Mentions stay in the echoed question (harmlessly escaped) but are no part of what is asked.
  const result = await ctx.service.answer(withoutMentionMarkup(question), { article, conversation });
  track?.answered(result);
  const answerId = newAnswerId();
  ctx.answers.remember(answerId, {
    article: result.article,
    question,
    answer: result.answer,
    citations: result.citations.map((c) => ({ passage: c.passage, score: c.score, quote: c.quote })),
  });
  const library = ctx.service.library;
  // A question back ("which article?") is about none; with one article, everything is about it.
  const source = result.article ? library.get(result.article) : library.size === 1 ? library.latest : undefined;
  return renderAnswer({ article: source, question, result, answerId, librarySize: library.size });
}

/**
 * `admitQuestion` then `composeAnswer`. Refusals reject immediately (before any deadline), so
 * they are answered ephemerally rather than in a public "thinking…" reply.
 */
export async function answerQuestion(ctx: BotContext, raw: string, userId: string, asked: AskContext = {}): Promise<Reply> {
  const question = admitQuestion(ctx, raw, userId);
  return composeAnswer(ctx, question, asked);
}

/** One question on its way: told the answer's kind, then counted once when it ends. */
export interface QuestionTrack {
  answered(result: AnswerResult): void;
}

/**
 * Runs the handling of one question — admission, answer and delivery — and counts it once in the
 * metrics (with the time from arrival to delivered reply) and in a debug log line naming the
 * shard. The outcome is the answer's kind, or what the failure was: a refusal, the cooldown, or an
 * error. Rethrows, so the caller's failure reply still happens.
 */
export async function handleQuestion<T>(ctx: BotContext, where: { readonly surface: QuestionSurface; readonly shard: number | undefined }, work: (track: QuestionTrack) => Promise<T>): Promise<T> {
  const started = performance.now();
  let answered: QuestionOutcome = 'error';
  const finish = (outcome: QuestionOutcome) => {
    const seconds = (performance.now() - started) / 1000;
    ctx.metrics.question({ ...where, outcome, seconds });
    ctx.logger.debug('Question handled', { surface: where.surface, outcome, shard: where.shard, ms: Math.round(seconds * 1000) });
  };
  try {
    const value = await work({
      answered(result) {
        answered = result.kind === 'answer' ? 'answered' : result.kind === 'clarify' ? 'clarify' : 'not-covered';
      },
    });
    finish(answered);
    return value;
  } catch (error) {
    finish(error instanceof CooldownError ? 'cooldown' : error instanceof UserError ? 'refused' : 'error');
    throw error;
  }
}
