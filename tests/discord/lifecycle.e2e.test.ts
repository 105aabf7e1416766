import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { AnswerService } from '../../src/core/service.js';
import { DiscordLoginError, startBot } from '../../src/discord/bot.js';
import { readFeedback } from '../../src/discord/feedback.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';
import { PROJECT_ROOT, runCli } from '../support/run-cli.js';
import { createTestService, memoryLogger, testConfig, testProcessEnv } from '../support/service.js';
import { button } from './e2e-helpers.js';

/**
 * Starting and stopping the bot as an operator does: a wrong token stops start-up with one
 * readable line (in-process and as `npm start`), and SIGTERM disconnects cleanly and keeps the
 * feedback.
 */

const WRONG_TOKEN = 'ODk2.this-token-was-reset.Xy9Wv8Ut7';
const TOKEN_REJECTED =
  'Discord rejected DISCORD_TOKEN (invalid, or reset since it was copied). Copy a fresh token from the Developer Portal (Bot → Reset Token) into .env.';

let fake: FakeDiscord;
let service: AnswerService;
let child: ChildProcessWithoutNullStreams | undefined;
beforeAll(async () => {
  fake = await startFakeDiscord();
  ({ service } = await createTestService());
});
afterEach(() => {
  // Only if a test failed half-way: never leave a bot process behind.
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
});
afterAll(async () => fake?.close());

/** Environment for `npm start` (dist/main.js) as a user would set it, with every written file in a temp folder. */
function botEnv(token: string): Promise<Record<string, string>> {
  return testProcessEnv({ DISCORD_API_URL: fake.apiUrl, DISCORD_TOKEN: token });
}

it('startBot rejects a wrong token with the readable "Discord rejected DISCORD_TOKEN …" line', async () => {
  const config = await testConfig({ DISCORD_TOKEN: WRONG_TOKEN, DISCORD_API_URL: fake.apiUrl });
  const logger = memoryLogger();
  const error = await startBot({ config, service, logger }).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(DiscordLoginError);
  expect((error as Error).message).toBe(TOKEN_REJECTED);
  expect(logger.lines.join('\n')).not.toContain(WRONG_TOKEN);
  expect(fake.connected).toBe(false);
});

it('`npm start` with a wrong token exits non-zero with one readable line and never prints the token', async () => {
  const run = await runCli('dist/main.js', [], { env: { ...(await botEnv(WRONG_TOKEN)), LOG_LEVEL: 'warn' } });

  expect(run.code).not.toBe(0);
  expect(run.stdout).toBe('');
  expect(run.stderr.trim().split('\n')).toEqual([TOKEN_REJECTED]);
  expect(`${run.stdout}${run.stderr}`).not.toContain(WRONG_TOKEN);
});

it('SIGTERM disconnects a running bot, flushes the feedback and exits 0', async () => {
  const env = await botEnv(fake.token);
  const running = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist/main.js')], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
  });
  child = running;
  let stderr = '';
  running.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => running.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<void>((resolve, reject) => {
    running.stderr.on('data', () => {
      if (stderr.includes('Ready as')) resolve();
    });
    void exited.then(({ code }) => reject(new Error(`the bot exited (${code}) before it was ready:\n${stderr}`)));
  });
  await ready;
  const session = await fake.waitForSession();

  // Someone asks and votes while it runs.
  const alice = fake.createUser('alice');
  const asked = fake.sendMessage({ author: alice, content: 'Who took control of three refineries?', mentionBot: true });
  const answer = await fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);
  const vote = await fake.button({ user: alice, message: answer, customId: button(answer, '👍') }).reply();
  expect(vote.content).toBe('Thanks — recorded 👍');

  const closed = fake.waitForGatewayEvent((e) => e.type === 'close' && e.connectionId === session.connectionId, { includePast: true });
  running.kill('SIGTERM');
  expect(await exited).toEqual({ code: 0, signal: null });

  // The client closed its gateway connection itself…
  expect(await closed).toMatchObject({ type: 'close', by: 'client' });
  expect(fake.connected).toBe(false);
  // …after saying why, without the token.
  expect(stderr).toContain('Received SIGTERM; disconnecting');
  expect(stderr).not.toContain(fake.token);
  // …and the vote is on disk.
  const { records } = await readFeedback(env['FEEDBACK_PATH'] ?? '');
  expect(records.map((r) => [r.userId, r.vote, r.question])).toEqual([[alice.id, 'up', 'Who took control of three refineries?']]);
});
