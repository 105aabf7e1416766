import { mkdir, readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadEmbedder } from '../../src/app.js';
import { parseArticle } from '../../src/core/article.js';
import { DEFAULT_ARTICLE_PATH } from '../../src/config.js';
import { addArticle, IngestRefusal, MAX_REDIRECTS, saveArticleFile, type AddArticleOptions, type RefusalReason } from '../../src/ingest/index.js';
import { FIXTURES, fixture, redirect, startNewsServer, status, type NewsServer } from '../support/news-server.js';
import { PROJECT_ROOT } from '../support/run-cli.js';
import { memoryLogger, tempDir, testConfig } from '../support/service.js';

const WSWS_PATH = '/en/articles/2023/04/12/port-a12.html';
const WSWS_ID = 'port-workers-reject-contract-shipping-profits-2023-04-12';
const LIMITS = { timeoutMs: 5_000, maxBytes: 1024 * 1024 };

/** The seven paragraphs of the WSWS-like fixture's article body, and nothing else on the page. */
const WSWS_PARAGRAPHS = [
  'Dockworkers at the three largest container terminals on the coast voted by 78 percent on Tuesday to reject a tentative agreement that would have raised wages by less than the rate of inflation for the next four years.',
  'The vote followed a month of meetings in which workers compared the offer with the record earnings reported by the shipping lines. The five largest carriers together reported profits of more than $60 billion last year, three times what they earned before the pandemic.',
  '“We kept the ports open through the whole pandemic, and they offered us less than the price of groceries,” said a crane operator with 19 years at the north terminal. “Nobody I work with voted yes.”',
  'The agreement would also have allowed the terminal operators to introduce remote-controlled cranes at two berths, a change workers fear would cut hundreds of jobs without any guarantee of retraining.',
  'Union officials had recommended the deal as “the best that could be achieved” and warned that a rejection could lead the government to impose binding arbitration under emergency legislation passed last year.',
  'Several workers told reporters they had been asked to sign a pledge not to discuss the terms on social media, under a clause marked *confidential* in the draft. One called the clause “an insult to everybody who reads it [sic] twice.”',
  'A new vote is not expected before June. In the meantime, the existing contract remains in force, and workers at the smaller southern terminal are due to vote on a separate agreement next week.',
];

let server: NewsServer;
/** Bytes the endless page had sent when the client hung up, and whether it did. */
let endless: Promise<number>;
let articlesDir: string;
let embeddingsDir: string;

beforeAll(async () => {
  server = await startNewsServer({
    [WSWS_PATH]: fixture('wsws-like.html'),
    '/2021/01/01/storm-hits-coast': fixture('jsonld-object.html'),
    '/city/budget': fixture('jsonld-graph.html'),
    '/health/malaria-vaccine': fixture('opengraph.html'),
    // No charset in the header: the page's <meta charset="windows-1252"> decides.
    '/news/2022/09/16/bridge-reopens': fixture('plain-story.html', 'text/html'),
    '/front': fixture('front-page.html'),
    '/short/b1': redirect('/short/b2', 301),
    '/broken': status(500),
    '/report.pdf': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.end('%PDF-1.7 not a web page');
    },
    '/silent': () => {
      // Accepts the request and never answers.
    },
    '/stalls': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><body><p>The first words of an article that never');
    },
    '/declared-huge': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 * 1024 * 1024) });
      res.write('<html>');
    },
  });
  // /short/b2 answers with an absolute address, as sites moving to https do.
  server.route('/short/b2', redirect(`${server.url}/news/2022/09/16/bridge-reopens`, 308));
  for (let i = 0; i <= MAX_REDIRECTS + 2; i++) server.route(`/loop/${i}`, redirect(`/loop/${i + 1}`));
  endless = new Promise((resolve) => {
    server.route('/endless', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = `<p>${'all work and no play '.repeat(3000)}</p>\n`;
      let sent = 0;
      const pump = () => {
        while (!res.destroyed && sent < 200 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      res.on('close', () => resolve(sent));
      res.write('<html><body>');
      pump();
    });
  });
});

afterAll(async () => {
  await server.close();
});

beforeEach(async () => {
  const dir = await tempDir('add-article-');
  articlesDir = path.join(dir, 'articles');
  embeddingsDir = path.join(dir, 'embeddings');
});

const noModel = async () => ({ embedder: undefined, reason: 'the test runs without a model' });

function add(source: string, options: Partial<AddArticleOptions> = {}) {
  return addArticle(source, { articlesDir, embeddingsDir, limits: LIMITS, loadEmbedder: noModel, ...options });
}

/** The refusal `promise` ends with; fails the test if it resolves. */
async function refusal(promise: Promise<unknown>, reason: RefusalReason): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IngestRefusal);
  expect((error as IngestRefusal).reason).toBe(reason);
  return (error as IngestRefusal).message;
}

/** Every file left in the articles and embeddings folders (hidden ones included). */
async function filesLeft(): Promise<string[]> {
  const list = async (dir: string) => (await readdir(dir, { recursive: true }).catch(() => [] as string[])).map((f) => path.join(path.basename(dir), f));
  return [...(await list(articlesDir)), ...(await list(embeddingsDir))];
}

/** A loopback port nobody listens on. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function writtenArticle(id: string) {
  const text = await readFile(path.join(articlesDir, `${id}.md`), 'utf8');
  return { text, article: parseArticle(text) };
}

describe('adding an article from a web address', () => {
  it('keeps only the article text of a WSWS-like page: no audio widget, figures, captions, share buttons, "Read more" or subscription box', async () => {
    const added = await add(`${server.url}${WSWS_PATH}`);
    expect(added.id).toBe(WSWS_ID);
    expect(await filesLeft()).toEqual([`articles/${WSWS_ID}.md`]);

    const { text, article } = await writtenArticle(WSWS_ID);
    expect(text).toMatchInlineSnapshot(`
      "# Port workers reject contract as shipping profits soar

      By Helen Marsh

      12 April 2023

      Dockworkers at the three largest container terminals on the coast voted by 78 percent on Tuesday to reject a tentative agreement that would have raised wages by less than the rate of inflation for the next four years.

      The vote followed a month of meetings in which workers compared the offer with the record earnings reported by the shipping lines. The five largest carriers together reported profits of more than $60 billion last year, three times what they earned before the pandemic.

      “We kept the ports open through the whole pandemic, and they offered us less than the price of groceries,” said a crane operator with 19 years at the north terminal. “Nobody I work with voted yes.”

      The agreement would also have allowed the terminal operators to introduce remote-controlled cranes at two berths, a change workers fear would cut hundreds of jobs without any guarantee of retraining.

      Union officials had recommended the deal as “the best that could be achieved” and warned that a rejection could lead the government to impose binding arbitration under emergency legislation passed last year.

      Several workers told reporters they had been asked to sign a pledge not to discuss the terms on social media, under a clause marked \\*confidential\\* in the draft. One called the clause “an insult to everybody who reads it \\[sic\\] twice.”

      A new vote is not expected before June. In the meantime, the existing contract remains in force, and workers at the smaller southern terminal are due to vote on a separate agreement next week.
      "
    `);
    expect(article).toMatchObject({ headline: 'Port workers reject contract as shipping profits soar', author: 'Helen Marsh', date: '12 April 2023', isoDate: '2023-04-12' });
    expect(article.passages.map((p) => p.text)).toEqual(WSWS_PARAGRAPHS);
    for (const furniture of ['Listen to this article', '6:40', 'Share', 'Twitter', 'Photo: Port Authority', 'union hall on April 2', 'Watch:', 'Read more', 'Port workers prepare', 'Government threatens', 'newsletter', 'Subscribe', 'Last November', 'Most read', 'Copyright', 'Injected by a script', 'Workers Struggles']) {
      expect(text).not.toContain(furniture);
    }
    expect(added.embeddings).toEqual({ status: 'deferred', reason: 'the test runs without a model' });
  });

  it('says who it is: an honest User-Agent naming the project', async () => {
    await add(`${server.url}${WSWS_PATH}`);
    expect(server.requests.at(-1)).toEqual({ path: WSWS_PATH, userAgent: expect.stringMatching(/^article-qa-bot\/\S+ \(.+\)$/) });
  });

  it('reads a JSON-LD NewsArticle (author as an object, @type as an array) before the page headline and the date in the address', async () => {
    const added = await add(`${server.url}/2021/01/01/storm-hits-coast`);
    const { article } = await writtenArticle(added.id);
    expect(added.id).toBe('storm-hits-coast-forcing-thousands-homes-2023-10-02');
    expect(article).toMatchObject({ headline: 'Storm hits coast, forcing thousands from their homes', author: 'Tomás Ferreira', isoDate: '2023-10-02' });
    expect(article.passages).toHaveLength(4);
  });

  it('reads a NewsArticle inside @graph inside an array, with several authors', async () => {
    const added = await add(`${server.url}/city/budget`);
    const { article } = await writtenArticle(added.id);
    expect(added.id).toBe('council-approves-budget-cuts-library-hours-2024-02-29');
    expect(article).toMatchObject({ headline: 'Council approves budget with cuts to library hours', author: 'Jane Okafor and Lars Eriksen', date: '29 February 2024' });
    expect(article.passages.map((p) => p.number)).toEqual([1, 2, 3, 4]);
  });

  it('falls back to Open Graph and article: meta tags, keeping the publisher\'s calendar date and skipping a profile URL as author', async () => {
    const added = await add(`${server.url}/health/malaria-vaccine`);
    const { article } = await writtenArticle(added.id);
    // 23:30 at UTC-5 on 7 March is 8 March in UTC; the article is dated as its publisher dated it.
    expect(article).toMatchObject({ headline: 'Malaria vaccine trial reports fewer severe cases in young children', author: 'Priya Raman', isoDate: '2023-03-07' });
    expect(article.passages[0]!.text).toMatch(/^A malaria vaccine given to children under five/);
  });

  it('follows a chain of redirects, decodes the page\'s own charset and takes the date from a /YYYY/MM/DD/ address', async () => {
    const added = await add(`${server.url}/short/b1`);
    expect(added.source).toBe(`${server.url}/news/2022/09/16/bridge-reopens`);
    expect(added.id).toBe('bridge-reopens-two-years-repairs-2022-09-16');
    const { text, article } = await writtenArticle(added.id);
    expect(article).toMatchObject({ headline: 'Bridge reopens after two years of repairs', author: undefined, date: '16 September 2022' });
    expect(text).not.toContain('By ');
    expect(article.passages[1]!.text).toContain('The café at the north end reopened');
  });

  it('adds a local HTML file the same way as its web page', async () => {
    const added = await add(path.join(FIXTURES, 'wsws-like.html'));
    expect(added.id).toBe(WSWS_ID);
    expect(added.source).toBe(path.join(FIXTURES, 'wsws-like.html'));
    const { article } = await writtenArticle(WSWS_ID);
    expect(article.author).toBe('Helen Marsh');
    expect(article.passages.map((p) => p.text)).toEqual(WSWS_PARAGRAPHS);
  });

  it('adds a local text article, with the same passages as the original file', async () => {
    const added = await add(path.relative(process.cwd(), path.join(PROJECT_ROOT, DEFAULT_ARTICLE_PATH)));
    const original = parseArticle(await readFile(path.join(PROJECT_ROOT, DEFAULT_ARTICLE_PATH), 'utf8'));
    expect(added.id).toBe('russian-debacle-ukraine-escalates-conflict-russia-2022-09-16');
    const { text, article } = await writtenArticle(added.id);
    expect(text.split('\n').slice(0, 5)).toEqual([`# ${original.headline}`, '', 'By Andre Damon', '', '16 September 2022']);
    expect(article).toMatchObject({ headline: original.headline, author: original.author, date: original.date });
    expect(article.passages.map((p) => p.text)).toEqual(original.passages.map((p) => p.text));
  });

  it('builds the article\'s embeddings in its own store folder when the model is available', async () => {
    const config = await testConfig();
    const added = await add(`${server.url}/city/budget`, { loadEmbedder: () => loadEmbedder(config, { logger: memoryLogger() }) });
    const storeDir = path.join(embeddingsDir, 'council-approves-budget-cuts-library-hours-2024-02-29');
    expect(added.embeddings).toEqual({ status: 'built', dir: storeDir });
    const manifest = JSON.parse(await readFile(path.join(storeDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ articleHash: added.article.contentHash, passageCount: 4 });
  });
});

describe('refusing, with nothing written', () => {
  it('a 404', async () => {
    const message = await refusal(add(`${server.url}/no-such-article`), 'http-status');
    expect(message).toBe(`${server.url}/no-such-article answered 404 Not Found; nothing was added.`);
    expect(await filesLeft()).toEqual([]);
  });

  it('a 500', async () => {
    expect(await refusal(add(`${server.url}/broken`), 'http-status')).toContain('answered 500 Internal Server Error');
    expect(await filesLeft()).toEqual([]);
  });

  it('a redirect loop, after a bounded number of hops', async () => {
    const before = server.requests.length;
    const message = await refusal(add(`${server.url}/loop/0`), 'too-many-redirects');
    expect(message).toBe(`${server.url}/loop/0 redirects more than ${MAX_REDIRECTS} times; giving up (is it a redirect loop?).`);
    expect(server.requests.length - before).toBe(MAX_REDIRECTS + 1);
    expect(await filesLeft()).toEqual([]);
  });

  it('a server that never answers, or stops halfway, within the deadline', async () => {
    const limits = { ...LIMITS, timeoutMs: 300 };
    const host = new URL(server.url).host;
    expect(await refusal(add(`${server.url}/silent`, { limits }), 'timeout')).toBe(`${host} did not send the whole page within 0.3 s; nothing was added.`);
    expect(await refusal(add(`${server.url}/stalls`, { limits }), 'timeout')).toContain('did not send the whole page within 0.3 s');
    expect(await filesLeft()).toEqual([]);
  });

  it('a body over the size limit, which it stops reading', async () => {
    const limits = { ...LIMITS, maxBytes: 256 * 1024 };
    const message = await refusal(add(`${server.url}/endless`, { limits }), 'too-large');
    expect(message).toBe(`${server.url}/endless is larger than 256 KB, the most this program reads (FETCH_MAX_MB); nothing was added.`);
    // The server saw the connection close long before it could send its 200 MB.
    expect(await endless).toBeLessThan(20 * 1024 * 1024);
    expect(await refusal(add(`${server.url}/declared-huge`, { limits }), 'too-large')).toContain('is larger than 256 KB');
    expect(await filesLeft()).toEqual([]);
  });

  it('a body that is not a web page', async () => {
    expect(await refusal(add(`${server.url}/report.pdf`), 'not-html')).toBe(
      `${server.url}/report.pdf is not a web page (its content type is application/pdf); give the address of the article's HTML page.`,
    );
    expect(await filesLeft()).toEqual([]);
  });

  it('a page with no article text', async () => {
    expect(await refusal(add(`${server.url}/front`), 'no-article')).toMatch(/^No article text found at http:\/\/127\.0\.0\.1:\d+\/front /);
    expect(await filesLeft()).toEqual([]);
  });

  it('an address that is not http(s), a host that cannot be reached, a missing file', async () => {
    expect(await refusal(add('ftp://example.org/article.html'), 'bad-source')).toBe('Only http and https addresses can be fetched, not ftp:');
    const closedPort = await freePort();
    expect(await refusal(add(`http://127.0.0.1:${closedPort}/article`), 'unreachable')).toBe(`Could not reach 127.0.0.1:${closedPort} (ECONNREFUSED); check the address and the network.`);
    expect(await refusal(add('no/such/article.html', { cwd: articlesDir }), 'bad-source')).toMatch(/^Cannot read \S+no\/such\/article\.html \(no such file\)/);
    expect(await filesLeft()).toEqual([]);
  });

  it('an id that already exists, unless --force', async () => {
    await add(`${server.url}${WSWS_PATH}`);
    const first = await writtenArticle(WSWS_ID);
    // The same article, revised: a paragraph changed.
    const revised = (await readFile(path.join(FIXTURES, 'wsws-like.html'), 'utf8')).replace('A new vote is not expected before June.', 'A new vote is expected in May.');
    server.route('/revised', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(revised);
    });
    expect(await refusal(add(`${server.url}/revised`), 'exists')).toBe(`An article with the id ${WSWS_ID} already exists (${path.join(articlesDir, `${WSWS_ID}.md`)}); add --force to replace it.`);
    expect((await writtenArticle(WSWS_ID)).text).toBe(first.text);

    const replaced = await add(`${server.url}/revised`, { force: true });
    expect(replaced.replaced).toBe(true);
    expect((await writtenArticle(WSWS_ID)).article.passages.at(-1)!.text).toMatch(/^A new vote is expected in May\./);
    expect(await filesLeft()).toEqual([`articles/${WSWS_ID}.md`]);
  });

  it('leaves no temporary file behind when the final rename fails', async () => {
    await mkdir(path.join(articlesDir, 'taken.md'), { recursive: true });
    await expect(saveArticleFile(articlesDir, 'taken', '# Headline\n\nText.\n', true)).rejects.toThrow();
    expect(await readdir(articlesDir)).toEqual(['taken.md']);
  });
});
