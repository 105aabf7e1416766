import { createArticleAnswerer, LEXICAL_CONFIDENT, type AnswerContext, type AnswerTrace, type ArticleAnswer, type ArticleAnswerer } from './answer.js';
import type { ArticleIndex } from './article-index.js';
import { createBm25Index, type Bm25Index } from './bm25.js';
import { createConversationMemory, resolveFollowUp, type ConversationMemory, type FollowUp, type FollowUpContext } from './conversation.js';
import { detectArticleIntent, INTENT_WORDS, type ArticleIntent } from './intents.js';
import { createLibrary, type Library } from './library.js';
import { analyzeQuestion, correctTypos, type QueryWord } from './query.js';
import { analyze, terms } from './terms.js';
import { englishWords } from './lexicon/english-words.js';
import { buildTermVocabulary, type Vocabulary } from './vocabulary.js';
import { splitSentences } from './text.js';
import { cosineAll, type MatrixScorer, type VectorMatrix } from './vectors.js';
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
  /**
   * Scores a question against the library's passage vectors when there are many of them (the
   * embedding runtime's matrix product); omitted, a JavaScript loop does.
   */
  readonly matrixScorer?: MatrixScorer | undefined;
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
/**
 * Once an article has answered, another routed article is asked too only when its best passage
 * scores at least this share of the leader's. From the evaluation's library runs (lexical):
 * asking every routed article answered from the right article 0.89 of the time on the library
 * set, asking only close seconds (0.8 or 0.9) 0.94, and never asking a second 0.94 but with
 * slightly fewer answers holding the gold on the holdout; and a question mostly costs one
 * article's work instead of three.
 */
const CONSULTED_SHARE = 0.8;
/** Weight of dense similarity against BM25 when routing (as in the per-article fusion). */
const ROUTING_DENSE_WEIGHT = 0.5;
/**
 * From this many passages the library's routing goes to the matrix scorer. Alone, the scorer is
 * faster from about 200 rows of 384 (2 cores); between forward passes, where its thread pool has
 * to wake, a small library's 250 rows took 0.1–0.3 ms in it against 0.09 ms in the loop. From
 * 1,000 rows (0.3 ms in the loop) it wins either way.
 */
const SCORER_MIN_ROWS = 1000;
/** Typo corrections kept for the words last looked up (a question's are looked up twice). */
const CORRECTIONS_KEPT = 256;
/** Articles listed when a question must say which one it means. */
const CLARIFY_LIST = 5;

/** @throws Error when `indexes` is empty or two articles share an id. */
export function createLibraryAnswerer({ indexes: initial, embedder, topK, onTrace, memory = createConversationMemory(), now = Date.now, matrixScorer }: LibraryAnswererOptions): LibraryAnswerer {
  let indexes = [...initial];
  let library = createLibrary(indexes.map((i) => i.article));
  const mode: RetrievalMode = embedder && indexes.every((i) => i.dense) ? 'hybrid' : 'lexical';
  const answerers = new Map<string, ArticleAnswerer>(indexes.map((index) => [index.article.id, createArticleAnswerer({ index, mode, topK, onTrace })]));
  const indexById = new Map(indexes.map((i) => [i.article.id, i]));
  let routing = library.size > 1 ? createRouting(indexes, mode, matrixScorer) : undefined;

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
      routing = library.size > 1 ? createRouting(indexes, mode, matrixScorer) : undefined;
    },
    async answer(question, options = {}) {
      const key = options.conversation;
      const previous = key ? memory.previous(key, now()) : undefined;
      const previousArticle = previous?.result.article;
      // "Who wrote it?" is about the article itself, whatever was asked before.
      const aboutArticle = detectArticleIntent(question) !== undefined && !namesTopic(question);
      const followUp = previous && previousArticle && !aboutArticle ? resolveFollowUp(question, previous, followUpContext(previousArticle)) : undefined;
      const asked = followUp?.text ?? question;
      // A follow-up stays with the article that answered the last question (after a refusal it is
      // routed afresh: no article was right); an explicit choice always wins.
      const answeredFrom = previous?.result.kind === 'answer' ? previousArticle : undefined;
      const article = options.article ?? (followUp ? answeredFrom : undefined);
      const context = followUp && previous && previous.result.kind === 'answer' ? contextOf(previous.result, followUp, question) : undefined;
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
    // The model reads the question with its typos corrected against the articles' words.
    const typoVocabulary = only ? indexById.get(only)!.vocabulary : routing!.vocabulary;
    const vector = mode === 'hybrid' ? (await embedder!.embedQueries([correctTypos(question, typoVocabulary)]))[0] : undefined;
    if (only) return (await answerers.get(only)!.answer(question, vector, context)).result;

    const candidates = await routing!.route(question, vector);
    const answers: ArticleAnswer[] = [];
    for (const [rank, candidate] of candidates.entries()) {
      // Another article is asked while none has answered, or when its best passage matches
      // nearly as well as the leader's: a clear leader's answer stands alone.
      const answered = answers.some((a) => a.result.kind === 'answer');
      if (rank > 0 && answered && candidate.score < CONSULTED_SHARE * candidates[0]!.score) break;
      answers.push(await answerers.get(candidate.id)!.answer(question, vector));
    }
    // "Who is paying for the Kartuzy project?": an article that never names Kartuzy does not answer
    // it when another article of the library does (a name no dictionary knows), routed or not. From the
    // evaluation's library runs: battery near-topic refused +5.6 points, fresh library set +1
    // answer; the one answerable question it turns into a refusal had been answered from the wrong article.
    const names = analyze(question).filter((t) => t.kind === 'word' && !englishWords().has(t.word));
    const elsewhere = (id: string) => names.some((t) => !indexById.get(id)!.lexicalPassages.has(t.term) && routing!.has(t.term));
    const best = pickBest(answers.filter((a) => a.result.kind !== 'answer' || !elsewhere(a.result.article!)));
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
    // A question naming something any article speaks of is a question of its own, even when the
    // last answer's article never mentions it ("when is the next council meeting?").
    const has = routing ? routing.has : (t: string) => index.lexicalPassages.has(t);
    return {
      people: [...index.facts().people.keys()],
      knows: (word) => terms(word).some(has),
    };
  }

  function clarify(intent: ArticleIntent): AnswerResult {
    const what = intent === 'author' ? 'who wrote' : intent === 'date' ? 'when was published' : intent === 'headline' ? 'the headline of' : intent === 'conclusion' ? 'the conclusion of' : 'what is in';
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

/**
 * Where the previous answer was and what it quoted, for the follow-up to lean on; a question about
 * that answer itself ("who said that?") may quote it again.
 */
function contextOf(result: AnswerResult, followUp: FollowUp, question: string): AnswerContext {
  const quoted = result.citations.flatMap((c) => (c.quote ? splitQuoted(c.quote) : []));
  const aboutIt = followUp.aboutLastAnswer === true;
  return {
    passages: result.citations.filter((c) => c.quote !== '').map((c) => c.passage),
    quoted: aboutIt ? [] : quoted,
    ...(aboutIt ? { answeredIn: quoted } : {}),
    ...(followUp.asksOutcome ? { outcomeOf: quoted } : {}),
    ...(result.short ? { short: result.short } : {}),
    own: question,
  };
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
  /** The articles to put the question to, best first, with the routing score of each one's best passage. */
  route(question: string, vector: Float32Array | undefined): Promise<Array<{ readonly id: string; readonly score: number }>>;
  /** True when some article of the library uses the term. */
  has(term: string): boolean;
  /** The library's words, for correcting a question's typos. */
  readonly vocabulary: Vocabulary;
}

/**
 * One BM25 index and one dense matrix over every passage of the library, built once. Routing a
 * question costs one pass over the postings of its terms and one cosine per passage.
 */
function createRouting(indexes: readonly ArticleIndex[], mode: RetrievalMode, matrixScorer: MatrixScorer | undefined): Routing {
  const owner: string[] = [];
  const texts: string[] = [];
  for (const index of indexes) {
    for (const passage of index.article.passages) {
      owner.push(index.article.id);
      texts.push(passage.text);
    }
  }
  const lexical: Bm25Index = createBm25Index(texts, { termLines: indexes.flatMap((index) => index.passageTermLines) });
  // The library's terms for correcting a question's typos (from the index: a thousand articles'
  // texts need not be read again); built the first time a question has a word no article uses.
  let words: Vocabulary | undefined;
  const full = () => (words ??= buildTermVocabulary(lexical.terms(), lexical.has));
  const corrected = new Map<string, ReturnType<Vocabulary['corrections']>>();
  const vocabulary: Vocabulary = {
    has: lexical.has,
    variants: (term, minPrefix, maxExtra) => full().variants(term, minPrefix, maxExtra),
    acronym: (word) => full().acronym(word),
    // Asked twice per question (the model's reading, then routing's): the last words' answers kept.
    corrections: (word) => {
      let found = corrected.get(word);
      if (!found) {
        if (corrected.size >= CORRECTIONS_KEPT) corrected.clear();
        corrected.set(word, (found = full().corrections(word)));
      }
      return found;
    },
  };
  const offTopic = mode === 'hybrid' ? indexes.reduce((sum, i) => sum + i.dense!.offTopic.mean, 0) / indexes.length : 0;
  const scoreDense = mode === 'hybrid' ? denseScoring(indexes.map((index) => index.dense!.passages), texts.length, matrixScorer) : undefined;

  /** Weighted share of the question's words passage `p` holds (idf weights, best alternative). */
  const coverage = (words: readonly QueryWord[], p: number) => {
    let found = 0;
    let total = 0;
    for (const w of words) {
      let weight = 0;
      let credit = 0;
      for (const a of w.alternatives) {
        if (!lexical.has(a.term)) continue;
        weight = Math.max(weight, lexical.idf(a.term));
        if (lexical.contains(a.term, p)) credit = Math.max(credit, a.credit);
      }
      total += weight;
      found += weight * credit;
    }
    return total === 0 ? 0 : found / total;
  };

  return {
    has: (term) => lexical.has(term),
    vocabulary,
    async route(question, vector) {
      // The question read as each article reads it: typos corrected against the library's words,
      // "Washington" also as the United States, …
      const words = analyzeQuestion(question, vocabulary).words.filter((w) => !w.absence);
      const lex = lexical.scoreAlternatives(words.map((w) => w.alternatives));
      // A loop, not Math.max(...lex): spreading a large library's passages overflows the call stack.
      let maxLex = 0;
      let best = 0;
      for (let i = 0; i < lex.length; i++) {
        if (lex[i]! > maxLex) {
          maxLex = lex[i]!;
          best = i;
        }
      }
      // As within an article: where one passage holds the question's words together, the words
      // decide; dense similarity weighs in as they fall short (a paraphrase).
      const denseWeight = scoreDense && vector ? ROUTING_DENSE_WEIGHT * Math.max(0, 1 - coverage(words, best) / LEXICAL_CONFIDENT) : 0;
      const score = new Float64Array(texts.length);
      for (let i = 0; i < score.length; i++) score[i] = maxLex > 0 ? (lex[i]! / maxLex) * (1 - denseWeight) : 0;
      if (scoreDense && vector && denseWeight > 0) {
        const cos = await scoreDense(vector);
        let maxCos = -Infinity;
        for (const c of cos) if (c > maxCos) maxCos = c;
        const span = maxCos - offTopic;
        if (span > 0) for (let i = 0; i < score.length; i++) score[i]! += (denseWeight * Math.max(0, cos[i]! - offTopic)) / span;
      }
      const top = topIndices(score, ROUTING_PASSAGES);
      const articles: Array<{ id: string; score: number }> = [];
      for (const i of top) {
        if (score[i]! <= 0) break;
        if (!articles.some((a) => a.id === owner[i])) articles.push({ id: owner[i]!, score: score[i]! });
        if (articles.length === ROUTED_ARTICLES) break;
      }
      return articles;
    },
  };
}

/**
 * Cosine of a question with every passage of the library, in library order. Many passages go to
 * the scorer as one matrix (copied together once); few, or without a scorer, each article's own
 * matrix is scored in turn with no copy.
 */
function denseScoring(matrices: readonly VectorMatrix[], rows: number, scorer: MatrixScorer | undefined): (vector: Float32Array) => Promise<Float32Array> {
  if (scorer && rows >= SCORER_MIN_ROWS) {
    const dimension = matrices[0]!.dimension;
    const data = new Float32Array(rows * dimension);
    let row = 0;
    for (const matrix of matrices) {
      data.set(matrix.data, row * dimension);
      row += matrix.rows;
    }
    const all: VectorMatrix = { rows, dimension, data };
    return (vector) => scorer(all, vector);
  }
  const cos = new Float32Array(rows);
  return async (vector) => {
    let row = 0;
    for (const matrix of matrices) {
      cosineAll(matrix, vector, cos.subarray(row, row + matrix.rows));
      row += matrix.rows;
    }
    return cos;
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
