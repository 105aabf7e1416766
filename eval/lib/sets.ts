import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { articleIdOf } from '../../src/app.js';
import { parseArticle } from '../../src/core/article.js';
import type { Article } from '../../src/core/types.js';

/**
 * Question sets: one JSON file per article under `eval/sets/`, written by readers who saw only
 * the article (see eval/README.md for the format and how they were written).
 */

export const QUESTION_KINDS = [
  'who', 'what', 'when', 'where', 'why', 'how', 'how-many', 'how-much', 'yes-no', 'who-said', 'what-said',
  'comparison', 'which', 'definition', 'meta',
] as const;
export const ANSWER_TYPES = ['number', 'amount', 'date', 'person', 'place', 'organisation'] as const;
export type AnswerType = (typeof ANSWER_TYPES)[number];

const answerable = z.object({
  id: z.string().min(1),
  q: z.string().min(1),
  kind: z.enum(QUESTION_KINDS),
  style: z.array(z.string()).default([]),
  passages: z.array(z.number().int().min(1)),
  answer: z.string().min(1),
  answerType: z.enum(ANSWER_TYPES).optional(),
});

const unanswerable = z.object({ id: z.string().min(1), q: z.string().min(1), why: z.string().optional() });

const followUp = z.object({
  id: z.string().min(1),
  first: z.string().min(1),
  then: z.string().min(1),
  passages: z.array(z.number().int().min(1)),
  answer: z.string().min(1),
  standalone: z.boolean().optional(),
});

const questionSet = z.object({
  article: z.string().min(1),
  writtenBy: z.string().optional(),
  answerable: z.array(answerable),
  nearTopic: z.array(unanswerable),
  offTopic: z.array(unanswerable),
  followUps: z.array(followUp).default([]),
});

export type AnswerableQuestion = z.infer<typeof answerable>;
export type UnanswerableQuestion = z.infer<typeof unanswerable>;
export type FollowUp = z.infer<typeof followUp>;

export interface QuestionSet extends z.infer<typeof questionSet> {
  /** File name without `.json`, e.g. "seed". */
  readonly name: string;
  readonly articlePath: string;
  readonly parsed: Article;
}

/**
 * Reads and checks one set: the schema, unique ids, paragraph numbers inside the article, and
 * every gold answer a verbatim span of one of its gold paragraphs (of the header for `meta`).
 * @throws Error listing every problem found.
 */
export async function loadQuestionSet(file: string, root: string): Promise<QuestionSet> {
  const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
  const parsed = questionSet.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const set = parsed.data;
  const articlePath = path.resolve(root, set.article);
  const article = parseArticle(await readFile(articlePath, 'utf8'), articleIdOf(articlePath));
  const problems = checkGold(set, article);
  if (problems.length > 0) throw new Error(`${file}:\n  ${problems.join('\n  ')}`);
  return { ...set, name: path.basename(file, '.json'), articlePath, parsed: article };
}

function checkGold(set: z.infer<typeof questionSet>, article: Article): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const header = [article.headline, article.author ?? '', article.date ?? ''].join('\n');
  const all = [...set.answerable, ...set.nearTopic, ...set.offTopic, ...set.followUps];
  for (const { id } of all) {
    if (ids.has(id)) problems.push(`${id}: duplicate id`);
    ids.add(id);
  }
  const checkSpan = (id: string, passages: readonly number[], answer: string, meta: boolean) => {
    if (meta) {
      if (!header.includes(answer)) problems.push(`${id}: "${answer}" is not in the article's header`);
      return;
    }
    if (passages.length === 0) problems.push(`${id}: no gold paragraph`);
    for (const n of passages) if (n > article.passages.length) problems.push(`${id}: ¶${n} is past the last paragraph (¶${article.passages.length})`);
    if (!passages.some((n) => article.passages[n - 1]?.text.includes(answer))) {
      problems.push(`${id}: "${answer}" is not verbatim in ${passages.map((n) => `¶${n}`).join(', ')}`);
    }
  };
  for (const q of set.answerable) checkSpan(q.id, q.passages, q.answer, q.kind === 'meta');
  for (const f of set.followUps) checkSpan(f.id, f.passages, f.answer, false);
  return problems;
}
