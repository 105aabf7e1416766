import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { checkQuestion } from '../core/question.js';
import type { AnswerService } from '../core/service.js';
import type { AnswerResult } from '../core/types.js';
import { exitWith, loadConfigOrExit, startServiceOrExit } from './bootstrap.js';
import { formatAnswer, terminalStyle } from './format.js';

/**
 * `npm run ask -- "question"`: one answer and exit. `--json` prints the result value;
 * `--batch` answers JSON lines `{"q": "..."}` from stdin, one JSON result per line, in order.
 */

const USAGE = `Usage:
  npm run ask -- "question"            answer one question
  npm run ask -- --json "question"     print the result as JSON
  npm run ask -- --batch < file.jsonl  answer {"q": "..."} lines, one JSON result per line`;

export type BatchLine = (AnswerResult & { readonly q: string }) | { readonly kind: 'invalid'; readonly message: string };

/** How many batch questions are in flight at once (they share batched forward passes). */
const BATCH_CONCURRENCY = 16;

/**
 * Answers each line of `lines` and writes one JSON line per input line, in input order. A line
 * that is not a usable question yields `{ kind: "invalid", message }` and the batch goes on.
 */
export async function answerBatch(service: AnswerService, lines: AsyncIterable<string>, write: (line: string) => void): Promise<void> {
  const pending: Array<Promise<BatchLine>> = [];
  let lineNumber = 0;
  const flush = async (keep: number) => {
    while (pending.length > keep) write(JSON.stringify(await pending.shift()!));
  };
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    pending.push(answerLine(service, line, lineNumber));
    await flush(BATCH_CONCURRENCY - 1);
  }
  await flush(0);
}

async function answerLine(service: AnswerService, line: string, lineNumber: number): Promise<BatchLine> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { kind: 'invalid', message: `line ${lineNumber}: not JSON; expected {"q": "your question"}` };
  }
  const q = (parsed as { q?: unknown } | null)?.q;
  if (typeof q !== 'string') return { kind: 'invalid', message: `line ${lineNumber}: expected {"q": "your question"} with q a string` };
  const check = checkQuestion(q);
  if (!check.ok) return { kind: 'invalid', message: `line ${lineNumber}: ${check.message}` };
  try {
    return { q, ...(await service.answer(check.question)) };
  } catch (error) {
    return { kind: 'invalid', message: `line ${lineNumber}: could not answer (${(error as Error).message})` };
  }
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { json: { type: 'boolean' }, batch: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    exitWith(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const question = positionals.join(' ');
  if (values.batch && question) exitWith(`--batch reads questions from standard input, not from arguments.\n${USAGE}`);
  // Checked before anything is loaded, so a bad question costs no model start.
  const check = values.batch ? undefined : checkQuestion(question);
  if (check && !check.ok) exitWith(check.reason === 'empty' ? USAGE : check.message);

  const config = loadConfigOrExit();
  const service = await startServiceOrExit(config);
  if (!check) {
    const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    await answerBatch(service, lines, (line) => process.stdout.write(`${line}\n`));
    return;
  }
  const result = await service.answer(check.question);
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatAnswer(result, terminalStyle(process.stdout.isTTY === true))}\n`);
}

await main();
