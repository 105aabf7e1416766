import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/core/article.js';
import { fixture, startNewsServer, type NewsServer } from '../support/news-server.js';
import { runCli } from '../support/run-cli.js';
import { tempDir, testProcessEnv } from '../support/service.js';

const ID = 'port-workers-reject-contract-shipping-profits-2023-04-12';
let server: NewsServer;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startNewsServer({ '/en/articles/2023/04/12/port-a12.html': fixture('wsws-like.html') });
  env = await testProcessEnv();
});

afterAll(async () => {
  await server.close();
});

describe('npm run add-article', () => {
  it('writes the article, builds its vectors and prints id, headline, author, date and passage count', async () => {
    const articlesDir = path.join(await tempDir(), 'library');
    const run = await runCli('dist/cli/add-article.js', [`${server.url}/en/articles/2023/04/12/port-a12.html`, '--articles-dir', articlesDir], { env });
    expect(run.stderr).not.toMatch(/WARN|ERROR/);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 6)).toEqual([
      `Added ${ID}`,
      '  headline  Port workers reject contract as shipping profits soar',
      '  author    Helen Marsh',
      '  date      12 April 2023 (2023-04-12)',
      '  passages  7',
      `  source    ${server.url}/en/articles/2023/04/12/port-a12.html`,
    ]);
    expect(lines[6]).toMatch(new RegExp(`^  file      \\S*library/${ID}\\.md$`));
    expect(lines[7]).toMatch(new RegExp(`^  vectors   \\S*embeddings/${ID}$`));

    expect(parseArticle(await readFile(path.join(articlesDir, `${ID}.md`), 'utf8')).passages).toHaveLength(7);
    expect((await readdir(path.join(env.EMBEDDINGS_DIR!, ID))).sort()).toEqual(['manifest.json', 'terms.json', 'vectors.f32']);
  });

  it('still adds the article when the model is unavailable, and says when its vectors will be built', async () => {
    const articlesDir = path.join(await tempDir(), 'articles');
    const offline = { ...env, ARTICLES_DIR: articlesDir, EMBEDDING_MODEL: 'test-org/unreachable', EMBEDDING_DTYPE: 'q8', MODEL_REMOTE_HOST: 'http://127.0.0.1:9/' };
    const run = await runCli('dist/cli/add-article.js', [`${server.url}/en/articles/2023/04/12/port-a12.html`], { env: offline });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Added ${ID}`);
    expect(run.stdout).toMatch(/\n {2}vectors {3}not built now; they will be built at the next start\n {12}Could not download the embedding model "test-org\/unreachable"/);
    expect(run.stderr).not.toContain('lexical');
    expect(await readdir(articlesDir)).toEqual([`${ID}.md`]);
  });

  it('refuses in one line on stderr, exit code 1, and writes nothing', async () => {
    const articlesDir = path.join(await tempDir(), 'articles');
    const run = await runCli('dist/cli/add-article.js', [`${server.url}/gone`, '--articles-dir', articlesDir], { env });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(`Not added: ${server.url}/gone answered 404 Not Found; nothing was added.`);
    await expect(readdir(articlesDir)).rejects.toThrow(/ENOENT/);
  });
});
