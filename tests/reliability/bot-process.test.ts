import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { explainCloseCode } from '../../src/discord/bot.js';
import { LEXICAL_NOTE } from '../../src/discord/render.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';
import { runCli } from '../support/run-cli.js';
import { createTestService, tempDir, testProcessEnv } from '../support/service.js';
import { CANARY_TOKEN, closedPort, isAnswer, KNOWN_QUESTION, KNOWN_QUOTE, leakedLines, plainLines, shownText, startProcess, WRONG_TOKEN, type ChildRun } from './helpers.js';

/**
 * `npm start` with a Discord token, as a child process against the fake Discord: failures that
 * need a person end the process non-zero with one line saying what to change; failures the bot
 * can work around (no model, bad stored vectors) are logged and it answers anyway. The token is
 * a canary that must appear in no output.
 */

const TOKEN_REJECTED = 'Discord rejected DISCORD_TOKEN (invalid, or reset since it was copied). Copy a fresh token from the Developer Portal (Bot → Reset Token) into .env.';
const INTENT_REFUSED = explainCloseCode(4014);

let fakes: FakeDiscord[] = [];
let children: ChildRun[] = [];
afterEach(async () => {
  // Every output of every run, whatever happened in the test.
  for (const child of children) expect(leakedLines(child.stdout(), child.stderr())).toEqual([]);
  await Promise.all(children.map((c) => c.stop('SIGKILL')));
  await Promise.all(fakes.map((f) => f.close()));
  children = [];
  fakes = [];
});

async function fakeDiscord(options: Parameters<typeof startFakeDiscord>[0] = {}): Promise<FakeDiscord> {
  const fake = await startFakeDiscord({ token: CANARY_TOKEN, ...options });
  fakes.push(fake);
  return fake;
}

/** The bot's environment: the generated model, files in a fresh folder, the fake's API, debug logs. */
function botEnv(fake: FakeDiscord, overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  return testProcessEnv({ DISCORD_TOKEN: CANARY_TOKEN, DISCORD_API_URL: fake.apiUrl, LOG_LEVEL: 'debug', ...overrides });
}

/** Starts the bot process and resolves once it logged "Ready as …". */
async function startBotProcess(env: Record<string, string>): Promise<ChildRun> {
  const child = startProcess('dist/main.js', [], env);
  children.push(child);
  await child.waitForLine(/ INFO  Ready as /);
  return child;
}

async function askByMention(fake: FakeDiscord, question = KNOWN_QUESTION) {
  const asked = fake.sendMessage({ author: fake.createUser('asker'), content: question, mentionBot: true });
  return fake.waitForMessage((m) => m.message_reference?.message_id === asked.id, { timeoutMs: 20_000 });
}

describe('cannot log in: exits 1 with one line saying what to change', () => {
  it('Message Content intent requested but not enabled for the app (close 4014)', async () => {
    const fake = await fakeDiscord({ privilegedIntents: 0 });
    const run = await runCli('dist/main.js', [], { env: await botEnv(fake, { MESSAGE_CONTENT_INTENT: 'true' }) });
    expect(leakedLines(run.stdout, run.stderr)).toEqual([]);
    expect(run.code).toBe(1);
    expect(plainLines(run.stderr)).toEqual([INTENT_REFUSED]);
    expect(run.stdout).toBe('');
    expect(fake.lastIdentify?.intents).toBeDefined();
  });

  it('a token Discord rejects', async () => {
    const fake = await fakeDiscord();
    const run = await runCli('dist/main.js', [], { env: await botEnv(fake, { DISCORD_TOKEN: WRONG_TOKEN }) });
    expect(leakedLines(run.stdout, run.stderr)).toEqual([]);
    expect(run.code).toBe(1);
    expect(plainLines(run.stderr)).toEqual([TOKEN_REJECTED]);
    expect(run.stdout).toBe('');
  });
});

describe('Discord ends the session for good while the bot runs: exits 1 with one line', () => {
  it.each([
    { code: 4004, line: `Disconnected from Discord for good: ${TOKEN_REJECTED}` },
    { code: 4014, line: `Disconnected from Discord for good: ${INTENT_REFUSED}` },
  ])('close $code', async ({ code, line }) => {
    const fake = await fakeDiscord();
    const bot = await startBotProcess(await botEnv(fake));
    expect(shownText(await askByMention(fake))).toContain(KNOWN_QUOTE);
    await fake.closeGateway(code);
    expect(await bot.exited).toBe(1);
    expect(plainLines(bot.stderr())).toEqual([line]);
  });
});

describe('no embedding model at start (a hub id, the hub unreachable)', () => {
  it('says so in a clear line, and answers lexically through Discord, marked in the footer', async () => {
    const fake = await fakeDiscord();
    const hub = `http://127.0.0.1:${await closedPort()}/`;
    const bot = await startBotProcess(await botEnv(fake, { EMBEDDING_MODEL: 'test-org/unreachable', EMBEDDING_DTYPE: 'q8', MODEL_REMOTE_HOST: hub }));
    expect(bot.stderr()).toMatch(/WARN {2}Could not download the embedding model "test-org\/unreachable".*Answering with lexical search only\./);
    expect(bot.stderr()).toMatch(/Ready as .* mode=lexical/);

    const reply = await askByMention(fake, 'What happened to the refineries owned by Rosneft?');
    expect(isAnswer(reply)).toBe(true);
    expect(shownText(reply)).toContain(KNOWN_QUOTE);
    expect(reply.embeds[0]?.footer?.text).toBe(LEXICAL_NOTE);
    expect(await bot.stop()).toBe(0);
  });
});

describe('stored vectors that do not fit: rebuilt, logged, and the answers are right', () => {
  let valid: string;
  let manifest: Record<string, unknown>;
  beforeAll(async () => {
    valid = path.join(await tempDir(), 'embeddings');
    await createTestService({ EMBEDDINGS_DIR: valid });
    manifest = JSON.parse(await readFile(manifestOf(valid), 'utf8')) as Record<string, unknown>;
  });

  // Each article's vectors live in their own folder, named by the article's id.
  const SEED_ID = 'us-escalates-conflict-2022-09-16';
  const vectorsOf = (dir: string) => path.join(dir, SEED_ID, 'vectors.f32');
  const manifestOf = (dir: string) => path.join(dir, SEED_ID, 'manifest.json');

  // Through the whole program, one case of each kind (corrupt, stale); every way a store can be
  // corrupt or stale is covered in-process by tests/core/index-store.test.ts.
  it.each<{ name: string; reason: RegExp; spoil: (dir: string) => Promise<void> }>([
    {
      name: 'a vector file with flipped bytes',
      reason: /does not match its checksum/,
      spoil: async (dir) => {
        const bytes = await readFile(vectorsOf(dir));
        for (let i = 0; i < bytes.length; i += 97) bytes[i] = (bytes[i] ?? 0) ^ 0xff;
        await writeFile(vectorsOf(dir), bytes);
      },
    },
    {
      name: 'vectors from another model (384 dimensions, checksum intact)',
      reason: /model/,
      spoil: async (dir) => {
        const rows = Number(manifest['passageCount']) + Number(manifest['sentenceCount']);
        const bytes = Buffer.alloc(rows * 384 * 4, 1);
        await writeFile(vectorsOf(dir), bytes);
        const other = { ...manifest, model: 'Snowflake/snowflake-arctic-embed-xs', dtype: 'q8', pooling: 'cls', dimension: 384, vectorsSha256: createHash('sha256').update(bytes).digest('hex') };
        await writeFile(manifestOf(dir), JSON.stringify(other, null, 2));
      },
    },
    {
      name: 'vectors of another version of the article (same file name, other text)',
      reason: /article/,
      spoil: async (dir) => {
        const other = path.join(path.dirname(dir), 'other', `${SEED_ID}.txt`);
        await mkdir(path.dirname(other), { recursive: true });
        await writeFile(other, 'Tariffs rise again\n\nThe government raised tariffs on steel.\n\nShipping companies expect delays at every port.\n');
        await createTestService({ EMBEDDINGS_DIR: dir, ARTICLE_PATH: other });
      },
    },
  ])('$name', async ({ reason, spoil }) => {
    const fake = await fakeDiscord();
    const env = await botEnv(fake);
    const dir = env['EMBEDDINGS_DIR'] ?? '';
    await cp(valid, dir, { recursive: true });
    await spoil(dir);

    const bot = await startBotProcess(env);
    const rebuilding = bot.stderr().split('\n').filter((l) => l.includes('Building passage vectors'));
    expect(rebuilding).toHaveLength(1);
    expect(rebuilding[0]).toMatch(reason);
    expect(bot.stderr()).toMatch(/INFO {2}Saved passage vectors/);
    expect(bot.stderr()).toMatch(/Ready as .* mode=hybrid/);

    const reply = await askByMention(fake);
    expect(shownText(reply)).toContain(KNOWN_QUOTE);
    expect(shownText(reply)).toContain('¶15');
    expect(reply.embeds[0]?.footer).toBeUndefined();
    // What was rebuilt is what a fresh build writes for this article and model.
    const rebuilt = JSON.parse(await readFile(manifestOf(dir), 'utf8')) as Record<string, unknown>;
    expect({ ...rebuilt, createdAt: undefined }).toEqual({ ...manifest, createdAt: undefined });
    expect(await bot.stop()).toBe(0);
  });
});
