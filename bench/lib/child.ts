import { spawn } from 'node:child_process';
import { CLEARED_ENV, REPO_ROOT } from './env.js';

export interface ChildRun<T> {
  readonly result: T;
  readonly wallMs: number;
}

/**
 * Runs `script` in a fresh Node process and returns the JSON object it printed as its last
 * stdout line. `.ts` scripts run through tsx (`node --import tsx`, as `npm start` runs the bot);
 * `.mjs`/`.js` run on plain Node unless `tsx` is set. stderr is shown only when the child fails.
 */
export function runChild<T>(script: string, env: Record<string, string>, args: readonly string[] = [], options: { tsx?: boolean } = {}): Promise<ChildRun<T>> {
  const nodeArgs = (options.tsx ?? script.endsWith('.ts')) ? ['--import', 'tsx', script, ...args] : [script, ...args];
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of CLEARED_ENV) delete childEnv[key];
  Object.assign(childEnv, env);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { cwd: REPO_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        reject(new Error(`${script} ${args.join(' ')} exited with ${code}:\n${stderr.trim().split('\n').slice(-15).join('\n')}\n${stdout.slice(-2000)}`));
        return;
      }
      try {
        resolve({ result: JSON.parse(last) as T, wallMs });
      } catch (error) {
        reject(new Error(`${script} printed invalid JSON: ${(error as Error).message}\n${last.slice(0, 500)}`));
      }
    });
  });
}

/** Prints one JSON line as a child's result (the parent reads the last stdout line), with the CPU time the child used. */
export function emit(result: Record<string, unknown>): void {
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ ...result, cpuMs: Math.round((cpu.user + cpu.system) / 1000) })}\n`);
}
