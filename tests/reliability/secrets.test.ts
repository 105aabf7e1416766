import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERIC_FAILURE } from '../../src/discord/respond.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';
import { PROJECT_ROOT, runCli } from '../support/run-cli.js';
import { tempDir, testModelEnv } from '../support/service.js';
import { CANARY_TOKEN, KNOWN_QUESTION, KNOWN_QUOTE, leakedLines, plainLines, shownText, startProcess, WRONG_TOKEN, type ChildRun } from './helpers.js';

/**
 * The token never leaves the process except to Discord: not in a log line, an error, a stack
 * trace or a message. The bot runs as a child process with a canary token and debug logging
 * through REST faults, gateway faults and a failing handler; every byte it prints is searched.
 * (Start-up failures, a lost session and a missing model are covered the same way in
 * bot-process.test.ts; the in-process suites search their logger lines.)
 */

const run = promisify(execFile);

describe('.env', () => {
  it('is ignored by git, so a token put there is never committed', async () => {
    const { stdout } = await run('git', ['check-ignore', '.env'], { cwd: PROJECT_ROOT });
    expect(stdout.trim()).toBe('.env');
  });

  it('.env.example, which is committed, holds no token', async () => {
    expect(await readFile(path.join(PROJECT_ROOT, '.env.example'), 'utf8')).toMatch(/^DISCORD_TOKEN=$/m);
  });
});

describe('the bot process through every runtime failure', () => {
  let fake: FakeDiscord;
  let env: Record<string, string>;
  let bot: ChildRun;
  const outputs: string[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord({ token: CANARY_TOKEN });
    const dir = await tempDir();
    // A file where the feedback folder should be: every vote fails, and the failure is logged with its stack.
    await writeFile(path.join(dir, 'blocker'), '');
    env = {
      ...(await testModelEnv()),
      EMBEDDINGS_DIR: path.join(dir, 'embeddings'),
      MODEL_CACHE_DIR: path.join(dir, 'models'),
      FEEDBACK_PATH: path.join(dir, 'blocker', 'feedback.jsonl'),
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_GUILD_ID: fake.guild.id,
      LOG_LEVEL: 'debug',
    };
  });
  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await fake?.close();
  });

  it('npm run register with a rejected token: one line, no token', async () => {
    const result = await runCli('dist/cli/register.js', [], { env: { ...env, DISCORD_TOKEN: WRONG_TOKEN } });
    outputs.push(result.stdout, result.stderr);
    expect(result.code).toBe(1);
    expect(plainLines(result.stderr)).toEqual([expect.stringMatching(/^Discord rejected DISCORD_TOKEN \(401 Unauthorized\)/)]);
  });

  it('npm run register, then the bot starts', async () => {
    const result = await runCli('dist/cli/register.js', [], { env: { ...env, DISCORD_TOKEN: CANARY_TOKEN } });
    outputs.push(result.stdout, result.stderr);
    expect(result.code).toBe(0);
    bot = startProcess('dist/main.js', [], { ...env, DISCORD_TOKEN: CANARY_TOKEN });
    await bot.waitForLine(/ INFO  Ready as /);
  });

  async function askEverywhere(label: string): Promise<void> {
    const user = fake.createUser(label);
    const mention = fake.sendMessage({ author: user, content: KNOWN_QUESTION, mentionBot: true });
    const dm = fake.sendMessage({ author: user, content: KNOWN_QUESTION, dm: true });
    const slash = fake.slashCommand({ user, name: 'ask', options: { question: KNOWN_QUESTION } });
    const replies = await Promise.all([
      fake.waitForMessage((m) => m.message_reference?.message_id === mention.id, { timeoutMs: 20_000 }),
      fake.waitForMessage((m) => m.message_reference?.message_id === dm.id, { timeoutMs: 20_000 }),
      slash.reply({ timeoutMs: 20_000 }),
    ]);
    for (const reply of replies) expect(shownText(reply)).toContain(KNOWN_QUOTE);
  }

  it('REST 429 (route and global), 500 and 502', async () => {
    fake.injectRestFaults({ match: { method: 'POST', path: /^\/channels\/\d+\/messages$/ }, status: 429, retryAfterSeconds: 0.2, count: 1 });
    fake.injectRestFaults({ match: { method: 'POST', path: /^\/interactions\// }, status: 429, retryAfterSeconds: 0.2, global: true, count: 1 });
    await askEverywhere('rate-limited');
    fake.injectRestFaults({ match: { method: 'POST', path: /^\/channels\/\d+\/messages$/ }, status: 500, count: 2 });
    fake.injectRestFaults({ match: { method: 'POST', path: /^\/interactions\// }, status: 502, count: 1 });
    await askEverywhere('server-errors');
  });

  it('gateway: abnormal close, RECONNECT, INVALID_SESSION (resumable and not)', async () => {
    await fake.closeGateway('abnormal');
    await fake.waitForSession({ resumed: true, timeoutMs: 20_000 });
    await askEverywhere('after-abnormal-close');
    fake.sendReconnect();
    await fake.waitForSession({ resumed: true, timeoutMs: 20_000 });
    fake.sendInvalidSession(true);
    await fake.waitForSession({ resumed: true, timeoutMs: 20_000 });
    const ready = fake.waitForGatewayEvent((e) => e.type === 'ready', { timeoutMs: 20_000 });
    fake.sendInvalidSession(false);
    await ready;
    await askEverywhere('after-new-session');
  });

  it('a handler that fails (the feedback file cannot be created): generic reply, stack logged', async () => {
    const user = fake.createUser('voter');
    const asked = fake.sendMessage({ author: user, content: KNOWN_QUESTION, mentionBot: true });
    const answer = await fake.waitForMessage((m) => m.message_reference?.message_id === asked.id, { timeoutMs: 20_000 });
    const customId = JSON.stringify(answer.components).match(/vote:up:[A-Za-z0-9_-]+/)?.[0] ?? '';
    const reply = await fake.button({ user, customId, message: answer }).reply({ timeoutMs: 20_000 });
    expect(reply.content).toBe(GENERIC_FAILURE);
    const logged = await bot.waitForLine(/ERROR Handler failed /);
    expect(logged).toMatch(/handler="button vote:up:.*EEXIST.*\\n +at /);
  });

  it('nothing printed, logged or sent to Discord contains the token', async () => {
    expect(await bot.stop('SIGTERM')).toBe(0);
    outputs.push(bot.stdout(), bot.stderr());
    expect(bot.stderr()).toMatch(/DEBUG|INFO/);
    expect(leakedLines(...outputs)).toEqual([]);
    // The token goes to Discord only in the Authorization header, never in a body.
    const bodies = fake.requests.map((r) => JSON.stringify(r.body ?? null));
    expect(leakedLines(...bodies)).toEqual([]);
  });
});
