import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import type { APIEmbed } from 'discord-api-types/v10';
import type { BotMessage } from '../support/fake-discord/index.js';
import { PROJECT_ROOT } from '../support/run-cli.js';

/**
 * Shared by the reliability tests: a recognisable token to hunt for in every output, the bot as a
 * child process, and small readers of what the bot sent.
 */

/** The token every reliability test runs the bot with; it must never show up in any output. */
export const CANARY_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.SECRET-canary-token.xyz';
/** A second canary: the token a misconfigured bot sends when the fake expects another. */
export const WRONG_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.WRONG-canary-token.abc';

/** Any recognisable part of either canary (a token cut in half is still a leak). */
const SECRET_PARTS = [CANARY_TOKEN, WRONG_TOKEN, 'SECRET-canary', 'WRONG-canary'];

/** The lines of `text` that contain any part of a canary token (empty when nothing leaked). */
export function leakedLines(...texts: readonly string[]): string[] {
  return texts.flatMap((t) => t.split('\n')).filter((line) => SECRET_PARTS.some((part) => line.includes(part)));
}

/** The question the generated test model answers with ¶15. */
export const KNOWN_QUESTION = 'Who took control of three refineries?';
export const KNOWN_QUOTE = 'On Friday, the German government took control of three refineries';

/** Every piece of text a bot message shows: content, embed texts and button labels. */
export function shownText(message: Pick<BotMessage, 'content' | 'embeds' | 'components'>): string {
  const parts: string[] = [message.content ?? ''];
  for (const embed of (message.embeds ?? []) as APIEmbed[]) {
    parts.push(embed.title ?? '', embed.description ?? '', embed.author?.name ?? '', embed.footer?.text ?? '');
    for (const field of embed.fields ?? []) parts.push(field.name, field.value);
  }
  for (const row of message.components ?? []) {
    for (const component of (row as { components?: { label?: string }[] }).components ?? []) parts.push(component.label ?? '');
  }
  return parts.join('\n');
}

/**
 * Mention syntax in what the bot showed that Discord would render as a mention (and could ping
 * if mentions were allowed): @everyone, @here, roles, users other than the bot itself.
 */
export function renderableMentions(text: string, botUserId: string): string[] {
  const found = [...text.matchAll(/@(?:everyone|here)|<@&\d+>|<@!?(\d+)>/gi)];
  return found.filter((m) => m[1] !== botUserId).map((m) => m[0]);
}

/**
 * Occurrences of `raw` in `shown` that Discord would render as markdown: those not escaped by a
 * backslash in front (`\[click](…)` shows literally).
 */
export function unescapedOccurrences(shown: string, raw: string): number {
  let count = 0;
  for (let at = shown.indexOf(raw); at !== -1; at = shown.indexOf(raw, at + 1)) {
    if (shown[at - 1] !== '\\') count++;
  }
  return count;
}

/** True for an answer embed (answered or "not covered"), which carries 👍/👎 buttons. */
export function isAnswer(message: Pick<BotMessage, 'components'>): boolean {
  return JSON.stringify(message.components ?? []).includes('"vote:up:');
}

/** The nearest-rank percentile of `values` (p in 0–100). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

/** A loopback port with nothing listening on it (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One of the project's entry points running as a child process, with its output kept. */
export interface ChildRun {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /**
   * Resolves with the first stderr/stdout line matching `pattern` (past or future) — or the
   * `count`-th such line; rejects if the process ends without it.
   */
  waitForLine(pattern: RegExp, count?: number): Promise<string>;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** Sends `signal` (default SIGTERM) and resolves once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals>;
}

/**
 * Starts `entry` (relative to the project) with only `env` (plus PATH/HOME), like `run-cli.ts`, but
 * without waiting for it to end: for long-running processes (the bot), processes the test kills,
 * and co-processes it talks to (`stdin: 'open'` leaves stdin open for `child.stdin.write`). `cwd`
 * runs it from another copy of the program (entry relative to it).
 * Compiled entries (`dist/main.js`) run on plain Node, as `npm start` runs them; a `.ts` helper runs
 * with `node --import tsx` rather than the `tsx` binary, which runs the script in a second
 * process: a SIGKILL must reach the process doing the work.
 */
export function startProcess(entry: string, args: readonly string[], env: Record<string, string>, options: { stdin?: 'closed' | 'open'; cwd?: string } = {}): ChildRun {
  const cwd = options.cwd ?? PROJECT_ROOT;
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, path.join(cwd, entry), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  const notify = () => watchers.forEach((w) => w());
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    notify();
  });
  /** Set on 'close': the process has exited and all its output has been read. */
  let exitCode: number | NodeJS.Signals | undefined;
  const exited = new Promise<number | NodeJS.Signals>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      exitCode = code ?? signal ?? -1;
      resolve(exitCode);
      notify();
    });
  });
  if (options.stdin !== 'open') child.stdin.end();

  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForLine(pattern, count = 1) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = `${stderr}\n${stdout}`.split('\n').filter((l) => pattern.test(l))[count - 1];
          if (line !== undefined) {
            watchers.delete(check);
            resolve(line);
          } else if (exitCode !== undefined) {
            watchers.delete(check);
            reject(new Error(`${entry} exited (${String(exitCode)}) before printing ${pattern}.\nstderr:\n${stderr}\nstdout:\n${stdout}`));
          }
        };
        watchers.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Lines the logger did not write (no ISO timestamp and level in front): what a person is told directly. */
export function plainLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .filter((l) => !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (DEBUG|INFO |WARN |ERROR)/.test(l));
}
