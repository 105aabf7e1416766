import type { Figures, KindFigures, SetEvaluation } from './evaluate.js';
import type { TargetCheck } from './targets.js';

/** Plain-text tables for the terminal (and for pasting into the README). */

const f = (v: number | null | undefined) => (v === null || v === undefined ? '  n/a' : v.toFixed(2).padStart(5));

const ROWS: ReadonlyArray<readonly [string, keyof Figures]> = [
  ['passage hit@1', 'hit1'],
  ['passage hit@3', 'hit3'],
  ['passage MRR', 'mrr'],
  ['answer has gold', 'answerHasGold'],
  ['answerable refused (false refusals)', 'falseRefusals'],
  ['near-topic refused', 'nearTopicRefused'],
  ['off-topic refused', 'offTopicRefused'],
  ['short-answer exact match', 'shortExactMatch'],
  ['follow-ups: answer has gold', 'followUpHasGold'],
  ['answered from the right article', 'rightArticle'],
];

export function formatSetTable(evaluation: SetEvaluation, modeLabel: string): string {
  const { figures, baseline } = evaluation;
  const head = `${evaluation.set} — ${modeLabel}: ${figures.answerable} answerable, ${evaluation.nearTopic.length} near-topic, ${evaluation.offTopic.length} off-topic, ${figures.followUps} follow-ups, ${figures.shortQuestions} with a short answer`;
  const lines = [head, `${'figure'.padEnd(38)} project  BM25 1-sent  BM25 2-sent`];
  for (const [label, key] of ROWS) {
    const value = (x: Figures) => (typeof x[key] === 'number' || x[key] === null ? (x[key] as number | null) : null);
    lines.push(`${label.padEnd(38)} ${f(value(figures))}   ${f(value(baseline.oneSentence))}        ${f(value(baseline.twoSentences))}`);
  }
  return lines.join('\n');
}

export function formatBreakdown(title: string, groups: Readonly<Record<string, KindFigures>>): string {
  const lines = [`${title.padEnd(18)}    n  has-gold  BM25  hit@3  refused`];
  for (const [key, g] of Object.entries(groups)) {
    lines.push(`${key.padEnd(18)} ${String(g.n).padStart(4)}   ${f(g.answerHasGold)}  ${f(g.baselineHasGold)}  ${f(g.hit3)}  ${f(g.refused)}`);
  }
  return lines.join('\n');
}

export function formatChecks(checks: readonly TargetCheck[]): string {
  return checks.map((c) => `  ${c.ok ? 'PASS' : 'MISS'}  ${c.name}: ${c.detail}`).join('\n');
}

/** The misses worth reading when tuning: wrong or missing answers, and wrong refusals. */
export function formatMisses(evaluation: SetEvaluation, limit = 40): string {
  const lines: string[] = [];
  for (const r of evaluation.answerable) {
    if (r.hasGold) continue;
    const what = r.result === 'not-covered' ? 'REFUSED' : `cited ${r.cited.map((n) => `¶${n}`).join(',')}`;
    lines.push(`  ${r.id} [${r.kind}] ${JSON.stringify(r.q)} gold ¶${r.gold.join(',')} "${r.goldAnswer}" → ${what}: ${r.short ? `**${r.short}** ` : ''}${r.answer.slice(0, 160)}${traceLine(r.trace)}`);
  }
  for (const r of evaluation.nearTopic) if (!r.refused) lines.push(`  ${r.id} near-topic answered ${JSON.stringify(r.q)} → ¶${r.cited.join(',')}: ${r.answer.slice(0, 120)}${traceLine(r.trace)}`);
  for (const r of evaluation.offTopic) if (!r.refused) lines.push(`  ${r.id} off-topic answered ${JSON.stringify(r.q)} → ¶${r.cited.join(',')}: ${r.answer.slice(0, 120)}${traceLine(r.trace)}`);
  for (const r of evaluation.followUps) if (!r.hasGold) lines.push(`  ${r.id} follow-up ${JSON.stringify(r.first)} → ${JSON.stringify(r.then)} gold "${r.goldAnswer}": ${r.answer.slice(0, 120)}`);
  const shown = lines.slice(0, limit);
  if (lines.length > limit) shown.push(`  … and ${lines.length - limit} more (--misses all)`);
  return shown.join('\n');
}

/**
 * Which rule refused what: for each reason a refusal gives, how many answerable questions it
 * refused (wrongly) and how many near-topic and off-topic ones (rightly) — each rule's precision.
 */
export function formatRefusals(evaluation: SetEvaluation): string {
  const counts = new Map<string, [number, number, number]>();
  const add = (trace: unknown, column: 0 | 1 | 2) => {
    const reason = refusalReason(trace);
    const row = counts.get(reason) ?? [0, 0, 0];
    row[column]++;
    counts.set(reason, row);
  };
  for (const r of evaluation.answerable) if (r.result === 'not-covered') add(r.trace, 0);
  for (const r of evaluation.nearTopic) if (r.refused) add(r.trace, 1);
  for (const r of evaluation.offTopic) if (r.refused) add(r.trace, 2);
  const lines = [`${'refused by'.padEnd(52)} answerable  near-topic  off-topic`];
  for (const [reason, [a, n, o]] of [...counts].sort((x, y) => y[1][0] + y[1][1] + y[1][2] - (x[1][0] + x[1][1] + x[1][2]))) {
    lines.push(`${reason.padEnd(52)} ${String(a).padStart(10)}  ${String(n).padStart(10)}  ${String(o).padStart(9)}`);
  }
  return lines.join('\n');
}

/** A refusal's reason without its particulars: "coverage 0.31" → "coverage", `unknown number "2019"` → "unknown number". */
function refusalReason(trace: unknown): string {
  const verdict = trace && typeof trace === 'object' ? (trace as Record<string, unknown>)['verdict'] : undefined;
  if (typeof verdict !== 'string') return 'nothing in the article matched';
  return verdict.replace(/\s+[\d.]+$/, '').replace(/\s+"[^"]*"$/, '');
}

function traceLine(trace: unknown): string {
  if (!trace || typeof trace !== 'object') return '';
  const t = trace as Record<string, unknown>;
  return `\n      ${t['focus']} words=${(t['words'] as string[]).join(',')} ranking=${(t['ranking'] as number[]).join(',')} coverage=${t['coverage']} focus=${t['focusFound']} z=${t['denseZ'] ?? '-'} → ${t['verdict']}`;
}
