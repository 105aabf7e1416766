import type { AnswerResult } from '../../src/core/types.js';
import { createBaseline } from './baseline.js';
import { containsSpan, goldRank, mean, readerText, share, shortMatches } from './metrics.js';
import type { QuestionSet } from './sets.js';

/** What the evaluation needs from the bot: answers, and (when it has them) conversations. */
export interface Asker {
  /** `conversation`: a key naming one conversation; follow-ups are asked in one. */
  answer(question: string, options?: { conversation?: string }): Promise<AnswerResult>;
  /** How the last question was decided, when the bot says (for diagnostics). */
  lastTrace?(): unknown;
}

export interface Figures {
  readonly answerable: number;
  /** Share of non-meta answerable questions whose first cited paragraph is gold. */
  readonly hit1: number | null;
  readonly hit3: number | null;
  readonly mrr: number | null;
  /** Share of answerable questions whose answer text holds the gold span. */
  readonly answerHasGold: number | null;
  /** Share of answerable questions answered "not covered". */
  readonly falseRefusals: number | null;
  readonly nearTopicRefused: number | null;
  readonly offTopicRefused: number | null;
  /** Questions with a gold short-answer type, and the share whose short answer equals the gold span. */
  readonly shortQuestions: number;
  readonly shortExactMatch: number | null;
  /** Answer-has-gold of the second message of follow-up pairs, asked in one conversation. */
  readonly followUps: number;
  readonly followUpHasGold: number | null;
  /** Share of answered answerable questions answered from the set's own article (a library run). */
  readonly rightArticle: number | null;
}

export interface QuestionRecord {
  readonly id: string;
  readonly q: string;
  readonly kind: string;
  readonly style: readonly string[];
  readonly gold: readonly number[];
  readonly goldAnswer: string;
  readonly answerType: string | undefined;
  readonly result: AnswerResult['kind'];
  /** The article answered from. */
  readonly article: string | undefined;
  readonly cited: readonly number[];
  readonly rank: number | undefined;
  readonly hasGold: boolean;
  readonly short: string | undefined;
  readonly shortMatch: boolean | undefined;
  readonly answer: string;
  readonly trace: unknown;
  readonly baseline: { readonly rank: number | undefined; readonly hasGold1: boolean; readonly hasGold2: boolean };
}

export interface RefusalRecord {
  readonly id: string;
  readonly q: string;
  readonly refused: boolean;
  readonly cited: readonly number[];
  readonly answer: string;
  readonly trace: unknown;
}

export interface FollowUpRecord {
  readonly id: string;
  readonly first: string;
  readonly then: string;
  readonly standalone: boolean;
  readonly goldAnswer: string;
  readonly hasGold: boolean;
  readonly answer: string;
}

export interface KindFigures {
  readonly n: number;
  readonly answerHasGold: number | null;
  readonly baselineHasGold: number | null;
  readonly hit3: number | null;
  readonly refused: number | null;
}

export interface SetEvaluation {
  readonly set: string;
  readonly figures: Figures;
  /** The plain BM25 pipeline (never refuses), quoting one or two sentences. */
  readonly baseline: { readonly oneSentence: Figures; readonly twoSentences: Figures };
  readonly byKind: Readonly<Record<string, KindFigures>>;
  readonly byStyle: Readonly<Record<string, KindFigures>>;
  readonly answerable: readonly QuestionRecord[];
  readonly nearTopic: readonly RefusalRecord[];
  readonly offTopic: readonly RefusalRecord[];
  readonly followUps: readonly FollowUpRecord[];
}

/** Runs every question of `set` through `asker` (in order, one at a time) and scores it. */
export async function evaluateSet(set: QuestionSet, asker: Asker): Promise<SetEvaluation> {
  const baseline = createBaseline(set.parsed);
  const answerable: QuestionRecord[] = [];
  for (const q of set.answerable) {
    const result = await asker.answer(q.q);
    // In a library, a passage of another article with the same number is no hit.
    const cited = result.kind === 'answer' ? result.citations.filter((c) => c.article === set.parsed.id).map((c) => c.passage) : [];
    const text = readerText(result);
    const base = baseline(q.q);
    // In a library, "who wrote this?" asked out of the blue is rightly answered by asking which
    // article is meant (listing this one): the reader picks it and gets the answer, short one included.
    const clarified = q.kind === 'meta' && result.kind === 'clarify' && result.answer.includes(`(${set.parsed.id})`);
    const shortMatched = result.kind === 'answer' && shortMatches(result.short, q.answer, q.answerType);
    answerable.push({
      id: q.id,
      q: q.q,
      kind: q.kind,
      style: q.style,
      gold: q.passages,
      goldAnswer: q.answer,
      answerType: q.answerType,
      result: result.kind,
      article: result.article,
      cited,
      rank: goldRank(cited, q.passages),
      // The short answer is read first: "Raj Mehta" gives the reader the gold "Mr Mehta".
      hasGold: containsSpan(text, q.answer) || shortMatched || clarified,
      short: result.kind === 'answer' ? result.short : undefined,
      shortMatch: q.answerType ? shortMatched || clarified : undefined,
      answer: result.answer,
      trace: asker.lastTrace?.(),
      baseline: {
        rank: goldRank(base.ranking.slice(0, 3), q.passages),
        hasGold1: q.kind === 'meta' ? false : containsSpan(base.oneSentence, q.answer),
        hasGold2: q.kind === 'meta' ? false : containsSpan(base.twoSentences, q.answer),
      },
    });
  }
  const refusals = async (questions: QuestionSet['nearTopic']): Promise<RefusalRecord[]> => {
    const out: RefusalRecord[] = [];
    for (const q of questions) {
      const result = await asker.answer(q.q);
      out.push({ id: q.id, q: q.q, refused: result.kind === 'not-covered', cited: result.citations.map((c) => c.passage), answer: result.answer, trace: asker.lastTrace?.() });
    }
    return out;
  };
  const nearTopic = await refusals(set.nearTopic);
  const offTopic = await refusals(set.offTopic);
  const followUps: FollowUpRecord[] = [];
  for (const f of set.followUps) {
    const conversation = `${set.name}:${f.id}`;
    await asker.answer(f.first, { conversation });
    const result = await asker.answer(f.then, { conversation });
    followUps.push({
      id: f.id,
      first: f.first,
      then: f.then,
      standalone: f.standalone === true,
      goldAnswer: f.answer,
      hasGold: containsSpan(readerText(result), f.answer),
      answer: result.answer,
    });
  }

  const figures = summarize(set.parsed.id, answerable, nearTopic, offTopic, followUps, (r) => ({ rank: r.rank, hasGold: r.hasGold, refused: r.result === 'not-covered' }));
  const baselineFigures = (two: boolean) =>
    summarize(set.parsed.id, answerable, [], [], [], (r) => ({ rank: r.baseline.rank, hasGold: two ? r.baseline.hasGold2 : r.baseline.hasGold1, refused: false }), {
      nearTopic: 0,
      offTopic: 0,
    });
  return {
    set: set.name,
    figures,
    baseline: { oneSentence: baselineFigures(false), twoSentences: baselineFigures(true) },
    byKind: breakdown(answerable, (r) => [r.kind]),
    byStyle: breakdown(answerable, (r) => (r.style.length > 0 ? r.style : ['plain'])),
    answerable,
    nearTopic,
    offTopic,
    followUps,
  };
}

type Outcome = (r: QuestionRecord) => { rank: number | undefined; hasGold: boolean; refused: boolean };

function summarize(
  articleOf: string,
  answerable: readonly QuestionRecord[],
  nearTopic: readonly RefusalRecord[],
  offTopic: readonly RefusalRecord[],
  followUps: readonly FollowUpRecord[],
  outcome: Outcome,
  neverRefuses?: { nearTopic: 0; offTopic: 0 },
): Figures {
  const ranked = answerable.filter((r) => r.kind !== 'meta');
  const ranks = ranked.map((r) => outcome(r).rank);
  const typed = answerable.filter((r) => r.answerType !== undefined);
  const answered = answerable.filter((r) => r.result === 'answer' && r.kind !== 'meta');
  const articleId = articleOf;
  return {
    answerable: answerable.length,
    hit1: share(ranks.filter((k) => k === 1).length, ranked.length),
    hit3: share(ranks.filter((k) => k !== undefined && k <= 3).length, ranked.length),
    mrr: mean(ranks.map((k) => (k === undefined ? 0 : 1 / k))),
    answerHasGold: share(answerable.filter((r) => outcome(r).hasGold).length, answerable.length),
    falseRefusals: share(answerable.filter((r) => outcome(r).refused).length, answerable.length),
    nearTopicRefused: neverRefuses ? neverRefuses.nearTopic : share(nearTopic.filter((r) => r.refused).length, nearTopic.length),
    offTopicRefused: neverRefuses ? neverRefuses.offTopic : share(offTopic.filter((r) => r.refused).length, offTopic.length),
    shortQuestions: typed.length,
    shortExactMatch: neverRefuses ? null : share(typed.filter((r) => r.shortMatch).length, typed.length),
    followUps: followUps.length,
    followUpHasGold: share(followUps.filter((r) => r.hasGold).length, followUps.length),
    rightArticle: neverRefuses ? null : share(answered.filter((r) => r.article === articleId).length, answered.length),
  };
}

function breakdown(records: readonly QuestionRecord[], keys: (r: QuestionRecord) => readonly string[]): Record<string, KindFigures> {
  const groups = new Map<string, QuestionRecord[]>();
  for (const r of records) for (const key of keys(r)) groups.set(key, [...(groups.get(key) ?? []), r]);
  const out: Record<string, KindFigures> = {};
  for (const [key, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const ranked = group.filter((r) => r.kind !== 'meta');
    out[key] = {
      n: group.length,
      answerHasGold: share(group.filter((r) => r.hasGold).length, group.length),
      baselineHasGold: share(group.filter((r) => r.baseline.hasGold1).length, group.length),
      hit3: share(ranked.filter((r) => r.rank !== undefined && r.rank <= 3).length, ranked.length),
      refused: share(group.filter((r) => r.result === 'not-covered').length, group.length),
    };
  }
  return out;
}
