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
});

export type BatchRequest = z.infer<typeof batchRequestSchema>;

export type BatchLine = (AnswerResult & { readonly q: string }) | { readonly kind: 'invalid'; readonly message: string };

/**
 * Most questions in flight at once. Lines that arrive together are answered concurrently, so
 * their questions share batched forward passes (16 per pass, see `withQueryBatching`); past this
 * many unanswered lines, reading pauses until one is answered.
 */
const BATCH_CONCURRENCY = 16;

const EXPECTED_SHAPE = 'expected {"q": "your question"} with q a string';

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

  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const entry: { result?: BatchLine } = {};
    unwritten.push(entry);
    inFlight++;
    void answerLine(service, line, lineNumber).then((result) => {
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

async function answerRequest(service: AnswerService, request: BatchRequest, lineNumber: number): Promise<BatchLine> {
  const check = checkQuestion(request.q);
  if (!check.ok) return { kind: 'invalid', message: `line ${lineNumber}: ${check.message}` };
  return { q: request.q, ...(await service.answer(check.question)) };
}
