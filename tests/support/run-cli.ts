import { spawn } from 'node:child_process';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one of the program's compiled entry points (e.g. `dist/cli/ask.js`, which `npm run ask`
 * runs; the test run compiles dist/ first) as a user would, on plain Node, in a child process with
 * only the given environment (plus PATH/HOME), feeding `input` on stdin.
 */
export function runCli(entry: string, args: readonly string[], options: { env: Record<string, string>; input?: string }): Promise<CliRun> {
  return runCommand(process.execPath, [path.join(PROJECT_ROOT, entry), ...args], options);
}

/** Runs `command` in `cwd` (default the project) with only `env` (plus PATH/HOME) and waits for it to end. */
export function runCommand(command: string, args: readonly string[], options: { env: Record<string, string>; input?: string; cwd?: string }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
