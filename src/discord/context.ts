import type { AnswerService } from '../core/service.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../ops/metrics.js';
import type { AnswerMemory } from './answer-memory.js';
import type { Conversations } from './conversations.js';
import type { Cooldown } from './cooldown.js';
import type { Exclusive } from './exclusive.js';
import type { FeedbackStore } from './feedback.js';

/** What `/add-article` needs to know and to hold. */
export interface ArticleAdding {
  /** ALLOW_ADD_ARTICLE: off by default. */
  readonly enabled: boolean;
  /** ADMIN_ROLE: a role whose members may add articles besides those with Manage Server. */
  readonly adminRole: string | undefined;
  /** ALLOW_PRIVATE_ADDRESSES: fetch from loopback and private networks too (tests, intranets). */
  readonly allowPrivateAddresses: boolean;
  /** Where article files are written (ARTICLES_DIR). */
  readonly articlesDir: string;
  readonly fetch: { readonly timeoutMs: number; readonly maxBytes: number };
  /** ARTICLE_PATH when set: the bot then answers about that one article, and added ones would not survive a restart. */
  readonly singleArticle: string | undefined;
  /** One add at a time. */
  readonly lock: Exclusive;
}

/**
 * Everything a handler needs, built once by `startBot` and passed to every handler as an argument
 * (no state hung on the client, no module-level singletons).
 */
export interface BotContext {
  readonly service: AnswerService;
  readonly logger: Logger;
  /** Questions and votes, counted (nothing is recorded when metrics are off). */
  readonly metrics: Metrics;
  readonly feedback: FeedbackStore;
  /** Recent answers by answer id, for feedback records. */
  readonly answers: AnswerMemory;
  /** Counts questions only (ask, Find in article, mentions, DMs). */
  readonly cooldown: Cooldown;
  /** Counts 👍/👎 clicks, with the same limit but apart from questions: voting never costs anyone a question. */
  readonly voteCooldown: Cooldown;
  readonly rateLimit: { readonly questions: number; readonly perSeconds: number };
  /** Open a thread on each mention question and answer in it. */
  readonly autoThread: boolean;
  /** The bot asked for the Message Content intent: it reads messages that do not mention it. */
  readonly messageContentIntent: boolean;
  /** Which conversation each question belongs to; the bot's answer messages and threads. */
  readonly conversations: Conversations;
  /** How long an interaction answer may take before it is deferred (see `answerInteractionWithin`). */
  readonly deferAfterMs: number;
  readonly articleAdding: ArticleAdding;
}
