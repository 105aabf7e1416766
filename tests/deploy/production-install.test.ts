import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';
import { PROJECT_ROOT, runCommand } from '../support/run-cli.js';
import { tempDir, testProcessEnv } from '../support/service.js';
import { CANARY_TOKEN, KNOWN_QUESTION, KNOWN_QUOTE, leakedLines, shownText, startProcess, type ChildRun } from '../reliability/helpers.js';

/**
 * The production install, done the way the Dockerfile does it (container engines cannot run on
 * these machines): its build stage's COPY and RUN steps in a scratch folder — `npm ci`, the build,
 * `npm prune --omit=dev` — then its run stage's COPY steps into a second folder, which holds what
 * the image holds and nothing else. From there the compiled bot (against the fake Discord) and the
 * terminal assistant start and answer, proving the production dependency set is complete. npm
 * runs offline, from the cache the project's own install filled.
 */

const run = promisify(execFile);

interface Copy {
  readonly from: string | undefined;
  readonly sources: readonly string[];
  readonly dest: string;
}
interface Stage {
  readonly name: string | undefined;
  workdir: string;
  readonly steps: ({ kind: 'copy'; copy: Copy } | { kind: 'run'; command: string })[];
}

/** The FROM / WORKDIR / COPY / RUN steps of the Dockerfile, per stage (other instructions do not change files). */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  for (const line of instructions) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    const stage = stages.at(-1);
    switch (keyword.toUpperCase()) {
      case 'FROM':
        stages.push({ name: /\sAS\s+(\S+)$/i.exec(args)?.[1], workdir: '/', steps: [] });
        break;
      case 'WORKDIR':
        stage!.workdir = args;
        break;
      case 'COPY': {
        const parts = rest.filter((p) => !p.startsWith('--chown'));
        const from = parts[0]?.startsWith('--from=') ? parts.shift()!.slice('--from='.length) : undefined;
        const dest = parts.pop()!;
        stage!.steps.push({ kind: 'copy', copy: { from, sources: parts, dest } });
        break;
      }
      case 'RUN':
        stage!.steps.push({ kind: 'run', command: args });
        break;
    }
  }
  return stages;
}

/** The build context the .dockerignore lets through: it must be a whitelist (`*`, then `!path` lines). */
async function buildContext(): Promise<string[]> {
  const lines = (await readFile(path.join(PROJECT_ROOT, '.dockerignore'), 'utf8')).split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  expect(lines[0]).toBe('*');
  expect(lines.slice(1).every((l) => l.startsWith('!'))).toBe(true);
  return lines.slice(1).map((l) => l.slice(1).replace(/\/$/, ''));
}

let root: string;
let context: string;
let image: string;
const offline = { npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

beforeAll(async () => {
  const stages = parseDockerfile(await readFile(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8'));
  expect(stages.map((s) => s.name)).toEqual(['build', undefined]);
  const [build, runtime] = stages as [Stage, Stage];
  root = await tempDir('article-bot-image-');
  context = path.join(root, 'context');
  const buildDir = path.join(root, 'build');
  image = path.join(root, 'image');
  for (const entry of await buildContext()) await cp(path.join(PROJECT_ROOT, entry), path.join(context, entry), { recursive: true });
  await mkdir(buildDir);
  await mkdir(image);

  // The build stage: its COPY and RUN steps, in order, npm offline.
  for (const step of build.steps) {
    if (step.kind === 'copy') {
      for (const source of step.copy.sources) await cp(path.join(context, source), path.join(buildDir, step.copy.dest.endsWith('/') ? path.basename(source) : step.copy.dest), { recursive: true });
    } else {
      await run('sh', ['-c', step.command], { cwd: buildDir, env: { ...process.env, ...offline }, maxBuffer: 64 * 1024 * 1024 });
    }
  }
  // The run stage: only what it copies (its RUN steps create the volume folders and the user).
  for (const step of runtime.steps) {
    if (step.kind !== 'copy') continue;
    const { from, sources, dest } = step.copy;
    for (const source of sources) {
      const target = path.join(image, dest.endsWith('/') ? path.basename(source) : dest);
      if (from === 'build') await rename(path.join(buildDir, path.relative(build.workdir, source)), target);
      else await cp(path.join(context, source), target, { recursive: true });
    }
  }
  await rm(buildDir, { recursive: true, force: true });
}, 180_000);
// Half a gigabyte of node_modules: never left behind.
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the image\'s files, installed as the Dockerfile does', () => {
  it('holds the compiled program and production dependencies only: no sources, no dev tools', () => {
    for (const present of ['dist/main.js', 'dist/cli/ask.js', 'node_modules/discord.js', 'node_modules/@huggingface/transformers', 'node_modules/prom-client', 'scripts/compiled.mjs', 'scripts/healthcheck.mjs', 'articles']) {
      expect(existsSync(path.join(image, present)), present).toBe(true);
    }
    for (const absent of ['src', 'tests', '.env', 'node_modules/typescript', 'node_modules/vitest', 'node_modules/tsx']) {
      expect(existsSync(path.join(image, absent)), absent).toBe(false);
    }
  });

  it('the terminal assistant starts and answers', async () => {
    const env = await testProcessEnv();
    const result = await runCommand('node', ['dist/main.js'], { cwd: image, env, input: `${KNOWN_QUESTION}\nquit\n` });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`“${KNOWN_QUOTE}`);
  });

  it('`npm run ask -- --json` runs the compiled command without trying to build', async () => {
    const env = await testProcessEnv();
    const result = await runCommand('npm', ['run', '-s', 'ask', '--', '--json', KNOWN_QUESTION], { cwd: image, env: { ...env, ...offline } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ kind: 'answer', citations: [expect.objectContaining({ passage: 15 })] });
  });

  describe('the bot, against the fake Discord', () => {
    let fake: FakeDiscord;
    let bot: ChildRun | undefined;
    afterAll(async () => {
      await bot?.stop('SIGKILL');
      await fake?.close();
    });

    it('`npm run register`, then the bot starts, answers, and its health check passes', async () => {
      fake = await startFakeDiscord({ token: CANARY_TOKEN });
      const env = await testProcessEnv({ DISCORD_TOKEN: CANARY_TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: fake.guild.id });
      const registered = await runCommand('npm', ['run', '-s', 'register'], { cwd: image, env: { ...env, ...offline } });
      expect(registered.code).toBe(0);
      expect(fake.commands.guild.map((c) => c.name)).toContain('ask');

      bot = startProcess('dist/main.js', [], { ...env, METRICS_PORT: '0' }, { cwd: image });
      const port = /http:\/\/127\.0\.0\.1:(\d+)/.exec(await bot.waitForLine(/Serving \/healthz and \/metrics on /))![1]!;
      await bot.waitForLine(/ INFO {2}Ready as /);

      const asked = fake.sendMessage({ author: fake.createUser('reader'), content: KNOWN_QUESTION, mentionBot: true });
      const reply = await fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);
      expect(shownText(reply)).toContain(KNOWN_QUOTE);
      const slash = await fake.slashCommand({ user: fake.createUser('slasher'), name: 'ask', options: { question: KNOWN_QUESTION } }).reply();
      expect(shownText(slash)).toContain(KNOWN_QUOTE);

      // The container's HEALTHCHECK command, as Docker runs it inside the container.
      const health = await runCommand('node', ['scripts/healthcheck.mjs'], { cwd: image, env: { METRICS_PORT: port } });
      expect(health.code).toBe(0);
      expect(JSON.parse(health.stdout)).toMatchObject({ status: 'ok', shards: { ready: 1, total: 1 } });

      expect(await bot.stop()).toBe(0);
      expect(leakedLines(bot.stdout(), bot.stderr(), registered.stdout, registered.stderr)).toEqual([]);
    });
  });
});

// Not about the image: the check reports a down endpoint as unhealthy (and no endpoint as healthy).
it('the health check fails when /healthz does not answer 200, and passes when metrics are off', async () => {
  const closed = await runCommand('node', ['scripts/healthcheck.mjs'], { env: { METRICS_PORT: '9' } });
  expect(closed.code).toBe(1);
  expect(closed.stderr).toMatch(/^Health check failed: /);
  const off = await runCommand('node', ['scripts/healthcheck.mjs'], { env: {} });
  expect(off.code).toBe(0);
});
