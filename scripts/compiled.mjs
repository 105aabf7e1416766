// @ts-check
/**
 * Runs one of the program's commands from the compiled JavaScript in dist/ on plain Node, building
 * dist/ first when it is missing or older than the sources — so `npm start`, `npm run ask`,
 * `npm run embed` and `npm run register` build once, then start at plain-Node speed.
 *
 *   node scripts/compiled.mjs cli/ask.js --json "question"   (what `npm run ask -- --json …` runs)
 *   node scripts/compiled.mjs --source-maps main.js           (`npm start`: stack traces name src/ lines)
 *
 * Why not `tsc` every time (as `npm start` once did), or `tsc --incremental`? Even a no-op
 * incremental build costs about 0.7 s, more than a one-shot question should pay; comparing file
 * times costs a few milliseconds. The command runs in this same process (no second Node start).
 *
 * This file is plain JavaScript because it must run before anything is compiled; `// @ts-check`
 * and the JSDoc types let `npm run typecheck` check it.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What the build reads: a change to any of these makes dist/ stale. */
const BUILD_CONFIGS = ['tsconfig.json', 'tsconfig.build.json'];

/**
 * True when every source file has its compiled file in dist/ and no source or build setting is
 * newer than the oldest compiled file (tsc rewrites every output on each build). Without src/ (a
 * production image that ships only dist/) there is nothing to build from, so dist/ is what runs.
 * @param {string} [root]
 */
export function isBuildFresh(root = ROOT) {
  const src = path.join(root, 'src');
  const dist = path.join(root, 'dist');
  if (!existsSync(src)) return true;
  let newestInput = 0;
  for (const file of BUILD_CONFIGS) {
    const at = path.join(root, file);
    if (existsSync(at)) newestInput = Math.max(newestInput, statSync(at).mtimeMs);
  }
  let oldestOutput = Infinity;
  for (const file of listFiles(src)) {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
    newestInput = Math.max(newestInput, statSync(path.join(src, file)).mtimeMs);
    // One system call per file: this check runs before every one-shot question.
    const output = statSync(path.join(dist, file.replace(/\.ts$/, '.js')), { throwIfNoEntry: false });
    if (!output) return false;
    oldestOutput = Math.min(oldestOutput, output.mtimeMs);
  }
  return newestInput <= oldestOutput;
}

/**
 * Compiles src/ into dist/ with the project's TypeScript (`tsc -p tsconfig.build.json`) unless it
 * is already fresh (or `force`). Resolves with whether it compiled.
 * @param {{ root?: string, force?: boolean }} [options]
 * @returns {Promise<boolean>}
 * @throws Error with one line saying what to do when TypeScript is missing or the build fails.
 */
export async function ensureBuilt({ root = ROOT, force = false } = {}) {
  if (!force && isBuildFresh(root)) return false;
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    throw new Error('dist/ is missing or older than src/, and TypeScript is not installed here (a production install?): run `npm ci && npm run build` first.');
  }
  // Loaded only to build: a fresh dist/ should cost a one-shot question nothing more than the check.
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('The TypeScript build failed (errors above); nothing was started.');
  return true;
}

/** @param {string} dir @param {string} [prefix] @returns {string[]} file paths relative to the first `dir` */
function listFiles(dir, prefix = '') {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) return listFiles(dir, relative);
    return entry.isFile() ? [relative] : [];
  });
}

// Run as a script: build if needed, then run dist/<command> here, as if started as `node dist/<command>`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  // Only for the long-running bot: source maps cost start-up time that a one-shot question should not pay.
  const sourceMaps = argv[0] === '--source-maps';
  const [command, ...args] = sourceMaps ? argv.slice(1) : argv;
  if (!command) {
    process.stderr.write('Usage: node scripts/compiled.mjs [--source-maps] <file in dist/, e.g. cli/ask.js> [arguments]\n');
    process.exit(2);
  }
  try {
    await ensureBuilt();
  } catch (error) {
    process.stderr.write(`${/** @type {Error} */ (error).message}\n`);
    process.exit(1);
  }
  if (sourceMaps) process.setSourceMapsEnabled(true);
  const entry = path.join(ROOT, 'dist', command);
  // The command reads its own arguments from process.argv and checks argv[1] to know it is the entry point.
  process.argv = [process.argv[0] ?? process.execPath, entry, ...args];
  await import(pathToFileURL(entry).href);
}
