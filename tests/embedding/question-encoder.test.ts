import path from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createQuestionEncoder } from '../../src/embedding/question-encoder.js';
import { loadArticle } from '../../src/app.js';
import { DEFAULT_ARTICLE_PATH } from '../../src/config.js';
import { testModelEnv } from '../support/service.js';

/**
 * The fast question tokenizer must give exactly what the model's own tokenizer gives, or the
 * answers would silently change. Compared on every sentence of the article, their fragments,
 * and odd inputs users send.
 */
let tokenizer: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
let samples: string[];

beforeAll(async () => {
  // transformers.js settings are global, and test files share a worker: a test that loaded a model
  // from a (fake) hub before this one leaves local models switched off. Set them as the embedder does.
  const model = (await testModelEnv()).EMBEDDING_MODEL!;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(path.resolve(model)) + path.sep;
  tokenizer = await AutoTokenizer.from_pretrained(path.basename(model));
  const article = await loadArticle(DEFAULT_ARTICLE_PATH);
  const sentences = article.passages.flatMap((p) => p.sentences);
  samples = [
    ...sentences,
    ...sentences.flatMap((s) => s.split(/[,;]/)),
    ...sentences.map((s) => s.toUpperCase()),
    'What did Germany do with Rosneft’s refineries?',
    'Что случилось с Украиной?',
    '乌克兰发生了什么？',
    'café naïve résumé',
    '🙂 emoji only 🙂',
    'tabs\tand\nnewlines',
    'x'.repeat(3000),
    `${'word '.repeat(600)}`,
    '',
  ];
});

function plain(encoded: Record<string, { data: ArrayLike<bigint | number>; dims: readonly number[] }>) {
  return Object.fromEntries(Object.entries(encoded).map(([k, t]) => [k, { dims: [...t.dims], data: Array.from(t.data, Number) }]));
}

describe.each(['', 'Represent this sentence for searching relevant passages: '])('question encoder with prefix %j', (prefix) => {
  it('enables itself for a BERT WordPiece tokenizer', () => {
    expect(createQuestionEncoder(tokenizer, prefix)).toBeTypeOf('function');
  });

  it('matches the tokenizer exactly on every sample (or defers to it)', () => {
    const encode = createQuestionEncoder(tokenizer, prefix)!;
    let fast = 0;
    for (const text of samples) {
      const ours = encode(text);
      if (ours === undefined) continue;
      fast++;
      const reference = tokenizer([prefix + text], { padding: true, truncation: true }) as never;
      expect(plain(ours as never), text.slice(0, 60)).toEqual(plain(reference));
    }
    // The fast path must actually be taken for ordinary English questions.
    expect(fast).toBeGreaterThan(samples.length / 2);
  });
});
