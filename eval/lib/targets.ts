import type { Figures } from './evaluate.js';

/**
 * The quality bar (issue "Answers people can trust"), checked by `npm run eval` and by
 * tests/eval/quality.test.ts on every question set, in lexical and bag-of-words hybrid mode.
 */
export const TARGETS = {
  answerHasGold: 0.85,
  hit3: 0.95,
  maxFalseRefusals: 0.05,
  offTopicRefused: 1,
  nearTopicRefused: 0.6,
  shortExactMatch: 0.7,
  followUpHasGold: 0.8,
  /** In a library, an answered question should come from its own article. */
  rightArticle: 0.95,
} as const;

export interface TargetCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

const f = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));

/** Every target for one set in one mode, against the plain BM25 baseline. */
export function checkTargets(figures: Figures, baseline: { oneSentence: Figures; twoSentences: Figures }): TargetCheck[] {
  const bestBaseline = Math.max(baseline.oneSentence.answerHasGold ?? 0, baseline.twoSentences.answerHasGold ?? 0);
  const checks: TargetCheck[] = [
    {
      name: 'answer has gold',
      ok: (figures.answerHasGold ?? 0) >= TARGETS.answerHasGold && (figures.answerHasGold ?? 0) > bestBaseline,
      detail: `${f(figures.answerHasGold)} (≥ ${TARGETS.answerHasGold} and above BM25's ${f(bestBaseline)})`,
    },
    { name: 'passage hit@3', ok: (figures.hit3 ?? 0) >= TARGETS.hit3, detail: `${f(figures.hit3)} (≥ ${TARGETS.hit3})` },
    { name: 'false refusals', ok: (figures.falseRefusals ?? 1) <= TARGETS.maxFalseRefusals, detail: `${f(figures.falseRefusals)} (≤ ${TARGETS.maxFalseRefusals})` },
    { name: 'off-topic refused', ok: (figures.offTopicRefused ?? 0) >= TARGETS.offTopicRefused, detail: `${f(figures.offTopicRefused)} (= 1)` },
    { name: 'near-topic refused', ok: (figures.nearTopicRefused ?? 0) >= TARGETS.nearTopicRefused, detail: `${f(figures.nearTopicRefused)} (≥ ${TARGETS.nearTopicRefused})` },
    { name: 'short-answer exact match', ok: (figures.shortExactMatch ?? 0) >= TARGETS.shortExactMatch, detail: `${f(figures.shortExactMatch)} (≥ ${TARGETS.shortExactMatch})` },
  ];
  if (figures.rightArticle !== null) {
    checks.push({ name: 'answered from the right article', ok: figures.rightArticle >= TARGETS.rightArticle, detail: `${f(figures.rightArticle)} (≥ ${TARGETS.rightArticle})` });
  }
  if (figures.followUps > 0) {
    checks.push({ name: 'follow-ups answer has gold', ok: (figures.followUpHasGold ?? 0) >= TARGETS.followUpHasGold, detail: `${f(figures.followUpHasGold)} (≥ ${TARGETS.followUpHasGold})` });
  }
  return checks;
}

/** Figures where higher is better, and the one where lower is. */
const HIGHER_BETTER = ['hit1', 'hit3', 'mrr', 'answerHasGold', 'nearTopicRefused', 'offTopicRefused', 'shortExactMatch', 'followUpHasGold'] as const;

/** "Fusion must not lose to its better half": every figure of hybrid at least lexical's. */
export function checkHybridNotWorse(hybrid: Figures, lexical: Figures): TargetCheck[] {
  const checks: TargetCheck[] = HIGHER_BETTER.map((key) => {
    const h = hybrid[key] ?? 0;
    const l = lexical[key] ?? 0;
    return { name: `hybrid ${key} ≥ lexical`, ok: h >= l - 1e-9, detail: `${f(h)} vs ${f(l)}` };
  });
  checks.push({
    name: 'hybrid falseRefusals ≤ lexical',
    ok: (hybrid.falseRefusals ?? 0) <= (lexical.falseRefusals ?? 0) + 1e-9,
    detail: `${f(hybrid.falseRefusals)} vs ${f(lexical.falseRefusals)}`,
  });
  return checks;
}
