import readline from 'node:readline/promises';
import { findArticles } from '../core/library.js';
import { checkQuestion } from '../core/question.js';
import type { AnswerService } from '../core/service.js';
import type { Article } from '../core/types.js';
import { noMetrics, type Metrics } from '../ops/metrics.js';
import { formatAnswer, formatArticle, formatLibrary, terminalStyle } from './format.js';

const HELP = `Type a question and press Enter; a follow-up ("what did he say?", "and China?") is read in
the light of your previous question. Commands:
  articles           the articles I know (when there are several)
  article [id]       headline, author, date and passage count (of the article in question)
  passage N          show passage ¶N (also: p N, ¶N; passage <id> N in another article)
  help               this help
  quit               leave (or Ctrl-D)`;

/** The whole terminal session is one conversation. */
const CONVERSATION = 'terminal';

/**
 * The argument of the passage command — `passage 7`, `p 7`, `¶7`, `¶ 7`, `passage <id> 7` — or
 * undefined when the line is not that command. `passage` and `¶` take any argument (a wrong one is
 * explained); the short `p` only a number, so a question is never taken for it ("Putin", "p.s.").
 */
export function passageCommand(line: string): string | undefined {
  const text = line.trim();
  const match = /^(?:passage(?:\s+|$)|¶\s*)(.*)$/i.exec(text) ?? /^p\s+(\d+)$/i.exec(text);
  if (!match) return undefined;
  const arg = match[1]!.trim();
  // "passage of time?" is a question, not a command; "passage <id> 7" names an article.
  if (/^[\w-]+\s+¶?\d+$/.test(arg)) return arg;
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
  const { library } = service;
  // The article the conversation is about: the last one answered from, else the most recent.
  let current: Article = library.latest;
  say(library.size === 1 ? formatArticle(current, style) : formatLibrary(library, style));
  say(style.dim('Running as a local assistant because DISCORD_TOKEN is not set; see README.md "Discord setup" to run it as a Discord bot.'));
  if (service.mode === 'lexical') say(style.dim(`Lexical search only: ${service.degradedReason ?? 'no embedding model.'}`));
  say(library.size === 1 ? `\nAsk about "${current.headline}" (type "help" for commands).` : `\nAsk about any of them (type "help" for commands).`);

  const rl = readline.createInterface({ input, output, terminal: output.isTTY === true });
  rl.setPrompt('> ');
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    const command = text.toLowerCase();
    const articleCommand = /^article(?:\s+(\S+))?$/i.exec(text);
    if (command === 'quit' || command === 'exit' || command === 'q') break;
    if (command === '') {
      // Nothing typed: just prompt again.
    } else if (command === 'help' || command === '?') {
      say(HELP);
    } else if (command === 'articles') {
      say(formatLibrary(service.library, style));
    } else if (articleCommand) {
      const chosen = articleCommand[1] ? findArticles(service.library, articleCommand[1])[0] : current;
      say(chosen ? formatArticle(chosen, style) : `There is no article "${articleCommand[1]}". Type "articles" to list them.`);
    } else if (passageCommand(text) !== undefined) {
      say(showPassage(service, current, passageCommand(text)!));
    } else {
      const started = performance.now();
      const check = checkQuestion(text);
      if (!check.ok) {
        say(check.message);
        metrics.question({ surface: 'cli', outcome: 'refused', shard: undefined, seconds: (performance.now() - started) / 1000 });
      } else {
        const result = await service.answer(check.question, { conversation: CONVERSATION });
        if (result.article) current = service.library.get(result.article) ?? current;
        say(formatAnswer(result, style, service.library));
        metrics.question({ surface: 'cli', outcome: result.kind === 'answer' ? 'answered' : result.kind === 'clarify' ? 'clarify' : 'not-covered', shard: undefined, seconds: (performance.now() - started) / 1000 });
      }
    }
    say('');
    rl.prompt();
  }
  rl.close();
}

function showPassage(service: AnswerService, current: Article, arg: string): string {
  const named = /^([\w-]+)\s+(¶?\d+)$/.exec(arg);
  const article = named ? findArticles(service.library, named[1]!)[0] : current;
  if (!article) return `There is no article "${named![1]}". Type "articles" to list them.`;
  const number = named ? named[2]! : arg;
  const count = article.passages.length;
  if (number === '') return `Which passage? Passages are numbered 1 to ${count}: type "passage 3".`;
  const n = /^¶?\d+$/.test(number) ? Number(number.replace('¶', '')) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > count) return `There is no passage "${number}". Passages are numbered 1 to ${count}: type "passage 3".`;
  return `¶${n}  ${article.passages[n - 1]!.text}`;
}
