import readline from 'node:readline/promises';
import { checkQuestion } from '../core/question.js';
import type { AnswerService } from '../core/service.js';
import { noMetrics, type Metrics } from '../ops/metrics.js';
import { formatAnswer, formatArticle, terminalStyle } from './format.js';

const HELP = `Type a question about the article and press Enter. Commands:
  article     headline, author, date and passage count
  passage N   show passage ¶N (also: p N, ¶N)
  help        this help
  quit        leave (or Ctrl-D)`;

/**
 * The argument of the passage command — `passage 7`, `p 7`, `¶7`, `¶ 7` — or undefined when the
 * line is not that command. `passage` and `¶` take one argument of any kind (a wrong one is
 * explained); the short `p` only a number, so a question is never taken for it ("Putin", "p.s.").
 */
export function passageCommand(line: string): string | undefined {
  const text = line.trim();
  const match = /^(?:passage(?:\s+|$)|¶\s*)(.*)$/i.exec(text) ?? /^p\s+(\d+)$/i.exec(text);
  if (!match) return undefined;
  const arg = match[1]!.trim();
  // "passage of time?" is a question, not a command with three arguments.
  return /\s/.test(arg) ? undefined : arg;
}

/**
 * The local assistant: a question loop in the terminal. Reads lines from `input` (a TTY or a
 * pipe) until "quit" or end of input. Questions are counted in `metrics` as the `cli` surface.
 */
export async function runInteractive(
  service: AnswerService,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
  metrics: Metrics = noMetrics,
): Promise<void> {
  const style = terminalStyle(output.isTTY === true);
  const say = (text: string) => output.write(`${text}\n`);
  const article = service.library.latest;
  say(formatArticle(article, style));
  say(style.dim('Running as a local assistant because DISCORD_TOKEN is not set; see README.md "Discord setup" to run it as a Discord bot.'));
  if (service.mode === 'lexical') say(style.dim(`Lexical search only: ${service.degradedReason ?? 'no embedding model.'}`));
  say(`\nAsk about "${article.headline}" (type "help" for commands).`);

  const rl = readline.createInterface({ input, output, terminal: output.isTTY === true });
  rl.setPrompt('> ');
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    const command = text.toLowerCase();
    if (command === 'quit' || command === 'exit' || command === 'q') break;
    if (command === '') {
      // Nothing typed: just prompt again.
    } else if (command === 'help' || command === '?') {
      say(HELP);
    } else if (command === 'article') {
      say(formatArticle(article, style));
    } else if (passageCommand(text) !== undefined) {
      say(showPassage(service, passageCommand(text)!));
    } else {
      const started = performance.now();
      const check = checkQuestion(text);
      if (!check.ok) {
        say(check.message);
        metrics.question({ surface: 'cli', outcome: 'refused', shard: undefined, seconds: (performance.now() - started) / 1000 });
      } else {
        const result = await service.answer(check.question);
        say(formatAnswer(result, style));
        metrics.question({ surface: 'cli', outcome: result.kind === 'answer' ? 'answered' : 'not-covered', shard: undefined, seconds: (performance.now() - started) / 1000 });
      }
    }
    say('');
    rl.prompt();
  }
  rl.close();
}

function showPassage(service: AnswerService, arg: string): string {
  const count = service.library.latest.passages.length;
  if (arg === '') return `Which passage? Passages are numbered 1 to ${count}: type "passage 3".`;
  const n = /^¶?\d+$/.test(arg) ? Number(arg.replace('¶', '')) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > count) return `There is no passage "${arg}". Passages are numbered 1 to ${count}: type "passage 3".`;
  return `¶${n}  ${service.library.latest.passages[n - 1]!.text}`;
}
