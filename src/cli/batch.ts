import { z } from 'zod';
import { checkQuestion } from '../core/question.js';
import type { AnswerService } from '../core/service.js';
import type { AnswerResult } from '../core/types.js';

/**
 * `npm run ask -- --batch`: JSON lines in, one JSON result per line out, in input order — as a
 * filter over a file or as a co-process that another tool writes one question to and reads the
 * answer from before writing the next.
 */

/**
 * One input line. To accept a new field, add it here (optional, so older inputs stay valid) and
 * read it in `answerRequest`; unknown fields are ignored.
 */
const batchRequestSchema = z.object({
  q: z.string(),
  /** Lines with the same thread are one conversation, answered in order; others stand alone. */
  thread: z.union([z.string(), z.number()]).transform(String).optional(),
  /** Answer from this article only (its id). */
  article: z.string().optional(),
});

export type BatchRequest = z.infer<typeof batchRequestSchema>;

export type BatchLine = (AnswerResult & { readonly q: string }) | { readonly kind: 'invalid'; readonly message: string };

/**
 * Most questions in flight at once. Lines that arrive together are answered concurrently, so
 * their questions share batched forward passes (16 per pass, see `withQueryBatching`); past this
 * many unanswered lines, reading pauses until one is answered.
 */
const BATCH_CONCURRENCY = 16;

const EXPECTED_SHAPE = 'expected {"q": "your question"} with q a string (and optionally "thread" and "article")';

/** The request on one line, or why it cannot be one (a message naming the line). */
export function parseBatchLine(line: string, lineNumber: number): { ok: true; request: BatchRequest } | { ok: false; message: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { ok: false, message: `line ${lineNumber}: not JSON; expected {"q": "your question"}` };
  }
  const result = batchRequestSchema.safeParse(parsed);
  if (result.success) return { ok: true, request: result.data };
  const issue = result.error.issues[0];
  const field = issue?.path[0];
  // A missing or mistyped question gets the shape spelled out; any other field names itself.
  if (field === undefined || field === 'q') return { ok: false, message: `line ${lineNumber}: ${EXPECTED_SHAPE}` };
  return { ok: false, message: `line ${lineNumber}: "${String(field)}" ${issue?.message ?? 'is invalid'}` };
}

/**
 * Answers each non-blank line of `lines` and writes one JSON line per input line, in input order.
 * A result is written as soon as it and every earlier line are answered — never held back for
 * later input — so a caller may write one question and wait for its answer. A line that is not a
 * usable question yields `{ kind: "invalid", message }` and the batch goes on. Resolves once
 * every line has been answered and written.
 */
export async function answerBatch(service: AnswerService, lines: AsyncIterable<string>, write: (line: string) => void): Promise<void> {
  // Unwritten lines in input order; `result` is set when a line is answered.
  const unwritten: { result?: BatchLine }[] = [];
  let inFlight = 0;
  let onAnswered: (() => void) | undefined;
  const writeReady = () => {
    while (unwritten[0]?.result) write(JSON.stringify(unwritten.shift()!.result));
  };
  const nextAnswer = () => new Promise<void>((resolve) => (onAnswered = resolve));

  // Each thread's last line: the next line of that thread waits for it (a follow-up needs its
  // predecessor's answer); lines of different threads, and lines without one, run concurrently.
  const threads = new Map<string, Promise<unknown>>();
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const entry: { result?: BatchLine } = {};
    unwritten.push(entry);
    inFlight++;
    const thread = threadOf(line);
    const before = thread === undefined ? undefined : threads.get(thread);
    const number = lineNumber;
    const answered = (before ?? Promise.resolve()).then(() => answerLine(service, line, number));
    if (thread !== undefined) threads.set(thread, answered);
    void answered.then((result) => {
      entry.result = result;
      inFlight--;
      writeReady();
      onAnswered?.();
    });
    while (inFlight >= BATCH_CONCURRENCY) await nextAnswer();
  }
  while (unwritten.length > 0) await nextAnswer();
}

/** Never rejects: every failure becomes an `invalid` line naming the line number. */
async function answerLine(service: AnswerService, line: string, lineNumber: number): Promise<BatchLine> {
  const parsed = parseBatchLine(line, lineNumber);
  if (!parsed.ok) return { kind: 'invalid', message: parsed.message };
  try {
    return await answerRequest(service, parsed.request, lineNumber);
  } catch (error) {
    return { kind: 'invalid', message: `line ${lineNumber}: could not answer (${(error as Error).message})` };
  }
}

/** The thread a line names, if it is a valid request that names one. */
function threadOf(line: string): string | undefined {
  const parsed = parseBatchLine(line, 0);
  return parsed.ok ? parsed.request.thread : undefined;
}

async function answerRequest(service: AnswerService, request: BatchRequest, lineNumber: number): Promise<BatchLine> {
  const check = checkQuestion(request.q);
  if (!check.ok) return { kind: 'invalid', message: `line ${lineNumber}: ${check.message}` };
  if (request.article !== undefined && !service.library.get(request.article)) {
    return { kind: 'invalid', message: `line ${lineNumber}: there is no article "${request.article}" (${articleList(service)})` };
  }
  const conversation = request.thread === undefined ? undefined : `batch:${request.thread}`;
  return { q: request.q, ...(await service.answer(check.question, { article: request.article, conversation })) };
}

/** The library's ids, for a message saying which exist. */
export function articleList(service: AnswerService, max = 5): string {
  const ids = service.library.articles.map((a) => a.id);
  return `articles: ${ids.slice(0, max).join(', ')}${ids.length > max ? `, and ${ids.length - max} more` : ''}`;
}
