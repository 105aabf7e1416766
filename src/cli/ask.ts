import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { checkQuestion } from '../core/question.js';
import { answerBatch, articleList } from './batch.js';
import { exitWhenWritten, exitWith, loadConfigOrExit, startServiceOrExit } from './bootstrap.js';
import { formatAnswer, terminalStyle } from './format.js';

/**
 * `npm run ask -- "question"`: one answer and exit. `--json` prints the result value;
 * `--batch` answers JSON lines `{"q": "..."}` from stdin, one JSON result per line, in order,
 * each written as soon as it is ready (see batch.ts).
 */

const USAGE = `Usage:
  npm run -s ask -- "question"                 answer one question
  npm run -s ask -- --json "question"          print the result as JSON
  npm run -s ask -- --article <id> "question"  answer from one article of the library
  npm run -s ask -- --batch < file.jsonl       answer {"q": "...", "thread"?: "...", "article"?: "..."} lines,
                                               one JSON result per line; lines of one thread are one conversation`;

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { json: { type: 'boolean' }, batch: { type: 'boolean' }, article: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
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
  if (values.article !== undefined && !service.library.get(values.article)) exitWith(`There is no article "${values.article}" (${articleList(service)}).`);
  const result = await service.answer(check.question, { article: values.article });
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatAnswer(result, terminalStyle(process.stdout.isTTY === true), service.library)}\n`);
}

await main();
exitWhenWritten();
