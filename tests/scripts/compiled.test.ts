import { mkdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { ensureBuilt, isBuildFresh } from '../../scripts/compiled.mjs';
import { PROJECT_ROOT } from '../support/run-cli.js';
import { tempDir } from '../support/service.js';

/**
 * The launcher behind `npm start`, `ask`, `embed` and `register` (scripts/compiled.mjs), on a
 * small project of its own: it compiles when dist/ is missing or older than the sources or the
 * build settings, and only then; it says what to do when it cannot.
 */

let project: string;
/** Marks a file as changed now (after anything compiled before this call). */
const touch = (file: string) => utimes(path.join(project, file), new Date(), new Date());

beforeEach(async () => {
  project = await tempDir('article-bot-launcher-');
  await mkdir(path.join(project, 'src', 'cli'), { recursive: true });
  await mkdir(path.join(project, 'node_modules'));
  await symlink(path.join(PROJECT_ROOT, 'node_modules', 'typescript'), path.join(project, 'node_modules', 'typescript'));
  await writeFile(path.join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: [] }, include: ['src'] }));
  await writeFile(path.join(project, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: false, outDir: 'dist', rootDir: 'src' }, include: ['src'] }));
  await writeFile(path.join(project, 'src', 'main.ts'), 'export const answer: number = 42;\n');
  await writeFile(path.join(project, 'src', 'cli', 'ask.ts'), "export const question: string = 'why?';\n");
  await writeFile(path.join(project, 'src', 'types.d.ts'), 'export type Unused = string;\n');
});

it('compiles when dist/ is missing, then not again until a source or a build setting changes', async () => {
  expect(isBuildFresh(project)).toBe(false);
  expect(await ensureBuilt({ root: project })).toBe(true);
  expect(existsSync(path.join(project, 'dist', 'main.js'))).toBe(true);
  expect(existsSync(path.join(project, 'dist', 'cli', 'ask.js'))).toBe(true);
  expect(isBuildFresh(project)).toBe(true);
  expect(await ensureBuilt({ root: project })).toBe(false);

  await touch('src/cli/ask.ts');
  expect(isBuildFresh(project)).toBe(false);
  expect(await ensureBuilt({ root: project })).toBe(true);
  expect(isBuildFresh(project)).toBe(true);

  await touch('tsconfig.build.json');
  expect(isBuildFresh(project)).toBe(false);
});

it('a new source file without its compiled file makes dist/ stale', async () => {
  await ensureBuilt({ root: project });
  await writeFile(path.join(project, 'src', 'added.ts'), 'export const added = true;\n');
  await utimes(path.join(project, 'src', 'added.ts'), new Date(0), new Date(0));
  expect(isBuildFresh(project)).toBe(false);
});

it('a type error stops it, and nothing is started', async () => {
  await writeFile(path.join(project, 'src', 'main.ts'), "export const answer: number = 'forty-two';\n");
  await expect(ensureBuilt({ root: project })).rejects.toThrow('The TypeScript build failed (errors above); nothing was started.');
});

it('without TypeScript (a production install) it says how to build, and without src/ it runs dist/ as it is', async () => {
  await rm(path.join(project, 'node_modules', 'typescript'));
  await expect(ensureBuilt({ root: project })).rejects.toThrow(/^dist\/ is missing or older than src\/, and TypeScript is not installed here .*npm ci && npm run build/);
  await rm(path.join(project, 'src'), { recursive: true });
  expect(isBuildFresh(project)).toBe(true);
  expect(await ensureBuilt({ root: project })).toBe(false);
});
