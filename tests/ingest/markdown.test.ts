import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/core/article.js';
import { articleId, composeArticleFile } from '../../src/ingest/index.js';
import { dateFromUrl, toIsoDate } from '../../src/ingest/metadata.js';

const PARAGRAPHS = [
  'The first paragraph of the article is long enough to be a paragraph of a news article.',
  'A second paragraph follows, so that the article has more than one passage to cite.',
];

describe('article ids', () => {
  it('are the headline\'s first content words and the date, lower-case and safe as a file name', () => {
    expect(articleId('After Russian debacle in Ukraine, US escalates conflict with Russia and China', '2022-09-16')).toBe(
      'russian-debacle-ukraine-escalates-conflict-russia-2022-09-16',
    );
    expect(articleId('Économie : la réforme des retraites adoptée', '2023-03-20')).toBe('economie-la-reforme-des-retraites-adoptee-2023-03-20');
    expect(articleId('Bridge reopens', undefined)).toBe('bridge-reopens');
    expect(articleId('What? / Why: "Budget" <script>..\\..', undefined)).toBe('budget-script');
  });

  it('fall back to a short hash for a headline without Latin letters', () => {
    const id = articleId('Мост открыли после ремонта', '2024-05-03');
    expect(id).toMatch(/^article-[0-9a-f]{8}-2024-05-03$/);
    expect(articleId('Мост открыли после ремонта', '2024-05-03')).toBe(id);
    expect(articleId('Другая статья', '2024-05-03')).not.toBe(id);
  });

  it('stay short for a long headline', () => {
    const id = articleId('Supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis floccinaucinihilipilification', '2020-01-01');
    expect(id.length).toBeLessThanOrEqual(60 + '-2020-01-01'.length);
    expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });
});

describe('dates', () => {
  it('keep the calendar date the publisher wrote, whatever its time zone', () => {
    expect(toIsoDate('2023-03-07T23:30:00-05:00')).toBe('2023-03-07');
    expect(toIsoDate('2022-09-16')).toBe('2022-09-16');
    expect(toIsoDate('20220916T0930')).toBe('2022-09-16');
    expect(toIsoDate('Fri, 16 Sep 2022 05:30:00 GMT')).toBe('2022-09-16');
    expect(toIsoDate('2023-02-30')).toBeUndefined();
    expect(toIsoDate('yesterday')).toBeUndefined();
  });

  it('are read from a /YYYY/MM/DD/ address', () => {
    expect(dateFromUrl('https://www.wsws.org/en/articles/2022/09/16/pers-s16.html')).toBe('2022-09-16');
    expect(dateFromUrl('https://news.example/2024/02/29/')).toBe('2024-02-29');
    expect(dateFromUrl('https://news.example/2023/13/40/x')).toBeUndefined();
    expect(dateFromUrl('https://news.example/world/europe-123')).toBeUndefined();
  });
});

describe('article files', () => {
  it('come back from parseArticle with the text exactly as extracted, markdown characters included', () => {
    const paragraphs = [
      '#1 priority, said the minister: cut the *estimated* 5_000 cases [sic] by `half` ~soon~ \\ now.',
      '> Quoted as it was posted, with [a link](not-a-link) in it.',
      ...PARAGRAPHS,
    ];
    const file = composeArticleFile({ headline: 'The *real* [cost] of #housing', author: 'Ana María de la Cruz', isoDate: '2021-11-05', paragraphs });
    const article = parseArticle(file.markdown);
    expect(article).toMatchObject({ headline: 'The *real* [cost] of #housing', author: 'Ana María de la Cruz', date: '5 November 2021', isoDate: '2021-11-05' });
    expect(article.passages.map((p) => p.text)).toEqual(paragraphs);
    expect(file.notes).toEqual([]);
  });

  it('leave out a byline the article format cannot carry, instead of making it the first paragraph', () => {
    const file = composeArticleFile({ headline: 'Ceasefire talks resume', author: 'Reuters', isoDate: '2024-01-10', paragraphs: PARAGRAPHS });
    expect(file.markdown).not.toContain('Reuters');
    expect(file.article.author).toBeUndefined();
    expect(file.article.passages.map((p) => p.text)).toEqual(PARAGRAPHS);
    expect(file.notes).toEqual(['The byline "Reuters" cannot be recorded in the article format (it expects two to five capitalised words), so the article has no author.']);
  });
});
