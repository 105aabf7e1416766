import { spawnSync } from 'node:child_process';
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_QUESTION_CHARS } from '../../src/limits.js';
import { PROJECT_ROOT, runCli } from '../support/run-cli.js';
import { tempDir, testProcessEnv } from '../support/service.js';
import { startProcess } from '../reliability/helpers.js';

let env: Record<string, string>;
beforeAll(async () => {
  env = await testProcessEnv();
});

/** An environment whose model can't be obtained: a hub id and a closed port as the hub. */
const offline = () => ({ ...env, EMBEDDING_MODEL: 'test-org/unreachable', EMBEDDING_DTYPE: 'q8', MODEL_REMOTE_HOST: 'http://127.0.0.1:9/' });

describe('npm run ask', () => {
  it('--json prints the result value', async () => {
    const run = await runCli('dist/cli/ask.js', ['--json', 'Who took control of three refineries?'], { env });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toEqual({
      kind: 'answer',
      short: 'German government',
      answer: 'On Friday, the German government took control of three refineries owned by Russian oil company Rosneft.',
      article: 'us-escalates-conflict-2022-09-16',
      citations: expect.arrayContaining([expect.objectContaining({ article: 'us-escalates-conflict-2022-09-16', passage: 15, score: 1 })]),
      mode: 'hybrid',
      basis: 'passages',
    });
  });

  it('prints a readable answer with quote and ¶ citations by default', async () => {
    const run = await runCli('dist/cli/ask.js', ['Who took control of three refineries?'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('“On Friday, the German government took control of three refineries owned by Russian oil company Rosneft.” [¶15]');
    expect(run.stdout).toMatch(/Sources: ¶15 \(1\.00\)/);
  });

  it('--batch answers JSON lines in order, one result per line, and keeps going past bad lines', async () => {
    const input = [
      '{"q": "Who wrote this article?"}',
      'this is not json',
      '{"q": "   "}',
      JSON.stringify({ q: 'why '.repeat(MAX_QUESTION_CHARS) }),
      '{"question": "wrong key"}',
      '{"q": "What would the Taiwan Policy Act send to Taiwan?"}',
      '{"q": "What is the capital of France?"}',
    ].join('\n');
    const run = await runCli('dist/cli/ask.js', ['--batch'], { env, input });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.kind)).toEqual(['answer', 'invalid', 'invalid', 'invalid', 'invalid', 'answer', 'not-covered']);
    expect(lines[0]).toMatchObject({ q: 'Who wrote this article?', answer: 'The article was written by Andre Damon.', basis: 'metadata' });
    expect(lines[1].message).toMatch(/^line 2: not JSON/);
    expect(lines[2].message).toMatch(/^line 3: Please ask a question/);
    expect(lines[3].message).toMatch(new RegExp(`^line 4: .*the limit is ${MAX_QUESTION_CHARS}`));
    expect(lines[4].message).toMatch(/^line 5: expected \{"q"/);
    expect(lines[5].citations[0].passage).toBe(17);
  });

  it('--batch streams: a co-process that writes one question gets its answer before writing the next', async () => {
    const assistant = startProcess('dist/cli/ask.js', ['--batch'], env, { stdin: 'open' });
    try {
      // Each answer must arrive while stdin stays open: nothing else will come to push it out.
      assistant.child.stdin.write('{"q": "Who took control of three refineries?"}\n');
      const first = JSON.parse(await assistant.waitForLine(/^\{"q":"Who took control/));
      expect(first).toMatchObject({ kind: 'answer', citations: [expect.objectContaining({ passage: 15 })] });

      assistant.child.stdin.write('{"q": "Who wrote this article?"}\n');
      const second = JSON.parse(await assistant.waitForLine(/^\{"q":"Who wrote/));
      expect(second).toMatchObject({ kind: 'answer', answer: 'The article was written by Andre Damon.' });

      assistant.child.stdin.end();
      expect(await assistant.exited).toBe(0);
      expect(assistant.stdout().trim().split('\n')).toHaveLength(2);
    } finally {
      await assistant.stop('SIGKILL');
    }
  });

  it('answers lexically, clearly marked, when the model cannot be obtained', async () => {
    const run = await runCli('dist/cli/ask.js', ['--json', 'What happened to the refineries owned by Rosneft?'], { env: offline() });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: 'answer', mode: 'lexical' });
    const warning = run.stderr.split('\n').filter((l) => l.includes('WARN'));
    expect(warning).toHaveLength(1);
    expect(warning[0]).toMatch(/Could not download the embedding model "test-org\/unreachable".*EMBEDDING_MODEL=\/path\/to\/local\/model/);
  });

  it('stops with one line naming the path when the article is missing', async () => {
    const run = await runCli('dist/cli/ask.js', ['anything?'], { env: { ...env, ARTICLE_PATH: 'articles/nope.txt' } });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^Cannot read the article at \S+articles\/nope\.txt \(no such file\)\. Set ARTICLE_PATH/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('lists every invalid setting at once', async () => {
    const run = await runCli('dist/cli/ask.js', ['anything?'], { env: { ...env, TOP_K: 'many', RATE_LIMIT: 'fast' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Invalid configuration:\n {2}- TOP_K: .*\n {2}- RATE_LIMIT: /);
  });
});

describe('npm run embed', () => {
  it('builds embeddings/ ahead of time, so the next start loads them', async () => {
    const run = await runCli('dist/cli/embed.js', [], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Embeddings are ready/);
    const manifest = JSON.parse(await readFile(path.join(env.EMBEDDINGS_DIR!, 'us-escalates-conflict-2022-09-16', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ passageCount: 25, pooling: 'mean', dtype: 'fp32' });
    const next = await runCli('dist/cli/ask.js', ['--json', 'Who took control of three refineries?'], { env });
    expect(next.stderr).toMatch(/Loaded stored passage vectors/);
    expect(next.stderr).not.toMatch(/Building passage vectors/);
  });

  it('fails with the reason when the model is unavailable', async () => {
    const run = await runCli('dist/cli/embed.js', [], { env: offline() });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^Cannot build embeddings: Could not download the embedding model/);
  });
});

describe('npm start without a Discord token (the local assistant)', () => {
  it('prompts with the headline, answers, shows passages (passage N, p N, ¶N) and help, and quits', async () => {
    const input = ['help', 'article', 'passage 15', 'p 16', '¶17', '¶ 18', 'passage 99', '', 'Putin', 'Who took control of three refineries?', 'Who is Ben Hodges?', 'What did he say about ethnic groups?', 'quit'].join('\n');
    const run = await runCli('dist/main.js', [], { env, input });
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('Ask about "After Russian debacle in Ukraine, US escalates conflict with Russia and China"');
    expect(out).toContain('DISCORD_TOKEN is not set');
    expect(out).toContain('passage N          show passage ¶N (also: p N, ¶N; passage <id> N in another article)');
    expect(out).toContain('by Andre Damon, 16 September 2022');
    expect(out).toContain('¶15  These military moves have been accompanied');
    for (const n of [16, 17, 18]) expect(out).toContain(`¶${n}  `);
    expect(out).toContain('There is no passage "99". Passages are numbered 1 to 25');
    // A single word starting with "p" is a question like any other.
    expect(out).not.toContain('There is no passage "utin"');
    expect(out.match(/There is no passage/g)).toHaveLength(1);
    expect(out).toContain('“On Friday, the German government took control of three refineries owned by Russian oil company Rosneft.” [¶15]');
    // The session is one conversation: "he" is the person just asked about.
    expect(out).toMatch(/About Ben Hodges:\n.*120 different ethnic groups/);
  });

  it('answers from a library of several articles, saying which one, and lists them', async () => {
    const articles = await tempDir();
    for (const file of ['articles/us-escalates-conflict-2022-09-16.txt', 'eval/articles/grid-battery-sodium-2026-03-03.txt']) {
      await copyFile(path.join(PROJECT_ROOT, file), path.join(articles, path.basename(file)));
    }
    const input = ['articles', 'How many cycles did the sodium cell last?', 'passage 9', 'quit'].join('\n');
    const run = await runCli('dist/main.js', [], { env: { ...env, ARTICLES_DIR: articles }, input });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 articles:\n  grid-battery-sodium-2026-03-03  Salt-based battery');
    expect(run.stdout).toContain('From “Salt-based battery for the power grid passes independent test as Polish town readies pilot”');
    expect(run.stdout).toMatch(/\[¶\d+ of grid-battery-sodium-2026-03-03\]/);
    // "passage N" reads the article the conversation is about.
    expect(run.stdout).toContain("¶9  In the university's tests, 40 prototype cells");
  });

  it('says it runs lexically and still answers when the model is unavailable', async () => {
    const run = await runCli('dist/main.js', [], { env: offline(), input: 'What happened to the refineries owned by Rosneft?\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Lexical search only: Could not download the embedding model');
    expect(run.stdout).toMatch(/\[¶15\][\s\S]*lexical search only/);
  });
});

describe('the quick start, exactly as the README writes it', () => {
  it('`npm start` builds, starts the local assistant and answers from stdin', () => {
    const run = spawnSync('npm', ['start'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      input: 'Who took control of three refineries?\nquit\n',
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('“On Friday, the German government took control of three refineries owned by Russian oil company Rosneft.” [¶15]');
  });
});
