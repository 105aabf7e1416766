import { createArticleAnswerer, type AnswerContext, type AnswerTrace, type ArticleAnswer, type ArticleAnswerer } from './answer.js';
import type { ArticleIndex } from './article-index.js';
import { createBm25Index, type Bm25Index } from './bm25.js';
import { createConversationMemory, resolveFollowUp, type ConversationMemory, type FollowUpContext } from './conversation.js';
import { detectArticleIntent, INTENT_WORDS, type ArticleIntent } from './intents.js';
import { createLibrary, type Library } from './library.js';
import { terms } from './terms.js';
import { splitSentences } from './text.js';
import { cosineAll, type VectorMatrix } from './vectors.js';
import type { AnswerResult, Embedder, RetrievalMode } from './types.js';

/**
 * Answers questions about a library of articles: a question restricted to one article goes to it;
 * an open one is routed to the few articles whose passages match it best (one BM25 index and one
 * dense matrix over every passage of the library), each of those answers it, and the answer with
 * the strongest evidence wins. Metadata questions ("who wrote it?") name their article, are about
 * the conversation's article, or get a question back. Conversations carry follow-ups.
 */

export interface AskOptions {
  /** Answer from this article only (its id). */
  readonly article?: string | undefined;
  /** One person in one place: follow-ups within it are read in the light of its last answer. */
  readonly conversation?: string | undefined;
}

export interface LibraryAnswererOptions {
  readonly indexes: readonly ArticleIndex[];
  /** Embeds questions; omitted (or indexes without vectors), answers are lexical. */
  readonly embedder?: Embedder | undefined;
  readonly topK: number;
  readonly onTrace?: ((trace: AnswerTrace) => void) | undefined;
  readonly memory?: ConversationMemory | undefined;
  readonly now?: () => number;
}

export interface LibraryAnswerer {
  /** The articles as they are now (`add` replaces it). */
  readonly library: Library;
  readonly mode: RetrievalMode;
  answer(question: string, options?: AskOptions): Promise<AnswerResult>;
  /**
   * Adds an article to the library while answering (or replaces the one with its id): questions
   * asked from then on can be answered from it.
   */
  add(index: ArticleIndex): void;
}

/** How many articles an open question is put to (the ones holding its best-matching passages). */
const ROUTED_ARTICLES = 3;
/** How many of the library's best passages decide which articles those are. */
const ROUTING_PASSAGES = 12;
/** Weight of dense similarity against BM25 when routing (as in the per-article fusion). */
const ROUTING_DENSE_WEIGHT = 0.5;
/** Articles listed when a question must say which one it means. */
const CLARIFY_LIST = 5;

/** @throws Error when `indexes` is empty or two articles share an id. */
export function createLibraryAnswerer({ indexes: initial, embedder, topK, onTrace, memory = createConversationMemory(), now = Date.now }: LibraryAnswererOptions): LibraryAnswerer {
  let indexes = [...initial];
  let library = createLibrary(indexes.map((i) => i.article));
  const mode: RetrievalMode = embedder && indexes.every((i) => i.dense) ? 'hybrid' : 'lexical';
  const answerers = new Map<string, ArticleAnswerer>(indexes.map((index) => [index.article.id, createArticleAnswerer({ index, mode, topK, onTrace })]));
  const indexById = new Map(indexes.map((i) => [i.article.id, i]));
  let routing = library.size > 1 ? createRouting(indexes, mode) : undefined;

  return {
    get library() {
      return library;
    },
    mode,
    add(index) {
      if (mode === 'hybrid' && !index.dense) throw new Error(`the article "${index.article.id}" has no vectors; this library answers in hybrid mode`);
      indexes = [...indexes.filter((i) => i.article.id !== index.article.id), index];
      library = createLibrary(indexes.map((i) => i.article));
      answerers.set(index.article.id, createArticleAnswerer({ index, mode, topK, onTrace }));
      indexById.set(index.article.id, index);
      // Rebuilt whole: adding an article is rare, and routing over every passage stays one pass.
      routing = library.size > 1 ? createRouting(indexes, mode) : undefined;
    },
    async answer(question, options = {}) {
      const key = options.conversation;
      const previous = key ? memory.previous(key, now()) : undefined;
      const previousArticle = previous?.result.article;
      // "Who wrote it?" is about the article itself, whatever was asked before.
      const aboutArticle = detectArticleIntent(question) !== undefined && !namesTopic(question);
      const followUp = previous && previousArticle && !aboutArticle ? resolveFollowUp(question, previous, followUpContext(previousArticle)) : undefined;
      const asked = followUp?.text ?? question;
      // A follow-up stays with the article it follows; an explicit choice always wins.
      const article = options.article ?? (followUp ? previousArticle : undefined);
      const context = followUp && previous && previous.result.kind === 'answer' ? contextOf(previous.result) : undefined;
      const result = await answerOne(asked, article, previousArticle, context);
      const final: AnswerResult = followUp?.understood && result.kind === 'answer' ? { ...result, understood: followUp.understood } : result;
      if (key) memory.record(key, { question, resolved: asked, result: final, at: now() });
      return final;
    },
  };

  async function answerOne(question: string, articleId: string | undefined, conversationArticle: string | undefined, context?: AnswerContext): Promise<AnswerResult> {
    if (articleId !== undefined && !answerers.has(articleId)) throw new Error(`there is no article "${articleId}"`);
    const intent = detectArticleIntent(question);
    const only = articleId ?? (library.size === 1 ? library.latest.id : undefined);
    if (intent && !namesTopic(question)) {
      const target = only ?? conversationArticle;
      return target ? answerers.get(target)!.metadata(intent) : clarify(intent);
    }
    const vector = mode === 'hybrid' ? (await embedder!.embedQueries([question]))[0] : undefined;
    if (only) return (await answerers.get(only)!.answer(question, vector, context)).result;

    const candidates = routing!.route(question, vector);
    const answers: ArticleAnswer[] = [];
    for (const id of candidates) answers.push(await answerers.get(id)!.answer(question, vector));
    const best = pickBest(answers);
    if (!best) return notCovered();
    // A metadata question about a topic ("who wrote the battery piece?") is about the article that matched.
    if (intent && best.result.article) return answerers.get(best.result.article)!.metadata(intent);
    return best.result;
  }

  /** True when the question names something the library's articles speak of, not only "author" or "headline". */
  function namesTopic(question: string): boolean {
    const has = routing ? routing.has : (t: string) => indexes[0]!.lexicalPassages.has(t);
    return terms(question).some((t) => !INTENT_WORDS.has(t) && has(t));
  }

  function followUpContext(articleId: string): FollowUpContext {
    const index = indexById.get(articleId)!;
    return {
      people: [...index.facts().people.keys()],
      knows: (word) => terms(word).some((t) => index.lexicalPassages.has(t)),
    };
  }

  function clarify(intent: ArticleIntent): AnswerResult {
    const what = intent === 'author' ? 'who wrote' : intent === 'date' ? 'when was published' : intent === 'headline' ? 'the headline of' : 'what is in';
    const listed = library.articles.slice(0, CLARIFY_LIST).map((a) => `“${a.headline}” (${a.id})`);
    const more = library.size > CLARIFY_LIST ? ` and ${library.size - CLARIFY_LIST} more` : '';
    return {
      kind: 'clarify',
      answer: `Which article do you mean? I can say ${what} any of the ${library.size}: ${listed.join('; ')}${more}.`,
      citations: [],
      mode,
      basis: 'metadata',
    };
  }

  function notCovered(): AnswerResult {
    return { kind: 'not-covered', answer: 'The articles do not cover that.', citations: [], mode, basis: 'none' };
  }
}

/** Where the previous answer was and what it quoted, for the follow-up to lean on. */
function contextOf(result: AnswerResult): AnswerContext {
  return { passages: result.citations.filter((c) => c.quote !== '').map((c) => c.passage), quoted: result.citations.flatMap((c) => (c.quote ? splitQuoted(c.quote) : [])) };
}

/** The sentences of a quote as the index holds them (a quote joins its passage's sentences with spaces). */
function splitQuoted(quote: string): string[] {
  return splitSentences(quote);
}

/** The answer with the strongest evidence; an answer beats any refusal. */
function pickBest(answers: readonly ArticleAnswer[]): ArticleAnswer | undefined {
  const answered = answers.filter((a) => a.result.kind === 'answer');
  const pool = answered.length > 0 ? answered : answers;
  return [...pool].sort((a, b) => b.evidence - a.evidence)[0];
}

interface Routing {
  /** Ids of the articles to put the question to, best first. */
  route(question: string, vector: Float32Array | undefined): string[];
  /** True when some article of the library uses the term. */
  has(term: string): boolean;
}

/**
 * One BM25 index and one dense matrix over every passage of the library, built once. Routing a
 * question costs one pass over the postings of its terms and one cosine per passage.
 */
function createRouting(indexes: readonly ArticleIndex[], mode: RetrievalMode): Routing {
  const owner: string[] = [];
  const texts: string[] = [];
  for (const index of indexes) {
    for (const passage of index.article.passages) {
      owner.push(index.article.id);
      texts.push(passage.text);
    }
  }
  const lexical: Bm25Index = createBm25Index(texts);
  let dense: VectorMatrix | undefined;
  let offTopic = 0;
  if (mode === 'hybrid') {
    const dimension = indexes[0]!.dense!.passages.dimension;
    const data = new Float32Array(texts.length * dimension);
    let row = 0;
    for (const index of indexes) {
      data.set(index.dense!.passages.data, row * dimension);
      row += index.dense!.passages.rows;
    }
    dense = { rows: texts.length, dimension, data };
    offTopic = indexes.reduce((sum, i) => sum + i.dense!.offTopic.mean, 0) / indexes.length;
  }
  const cos = new Float32Array(texts.length);

  return {
    has: (term) => lexical.has(term),
    route(question, vector) {
      const lex = lexical.scoreAlternatives(terms(question).map((term) => [{ term, credit: 1 }]));
      const maxLex = Math.max(0, ...lex);
      const score = new Float64Array(texts.length);
      for (let i = 0; i < score.length; i++) score[i] = maxLex > 0 ? (lex[i]! / maxLex) * (dense && vector ? 1 - ROUTING_DENSE_WEIGHT : 1) : 0;
      if (dense && vector) {
        cosineAll(dense, vector, cos);
        let maxCos = -Infinity;
        for (const c of cos) if (c > maxCos) maxCos = c;
        const span = maxCos - offTopic;
        if (span > 0) for (let i = 0; i < score.length; i++) score[i]! += (ROUTING_DENSE_WEIGHT * Math.max(0, cos[i]! - offTopic)) / span;
      }
      const top = topIndices(score, ROUTING_PASSAGES);
      const articles: string[] = [];
      for (const i of top) {
        if (score[i]! <= 0) break;
        if (!articles.includes(owner[i]!)) articles.push(owner[i]!);
        if (articles.length === ROUTED_ARTICLES) break;
      }
      return articles;
    },
  };
}

/** Indices of the `k` largest values, largest first (a partial selection, not a full sort). */
function topIndices(values: Float64Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (best.length === k && v <= values[best[k - 1]!]!) continue;
    let at = best.length === k ? k - 1 : best.length;
    if (best.length < k) best.push(i);
    while (at > 0 && values[best[at - 1]!]! < v) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = i;
  }
  return best;
}
