import { expect, it } from 'vitest';
import { createAnswerService, loadEmbedder } from '../../src/app.js';
import { answerBatch } from '../../src/cli/batch.js';
import type { Embedder } from '../../src/core/types.js';
import { memoryLogger, testConfig } from '../support/service.js';

/**
 * `--batch` in process, with the real service and model: lines that arrive together share
 * forward passes (the streaming itself is tested with the real command in cli.test.ts).
 */

const QUESTIONS = [
  'Who took control of three refineries?',
  'What would the Taiwan Policy Act send to Taiwan?',
  'What is HIMARS?',
  'Who is Ben Hodges?',
  'What happened in Kharkiv?',
  'What did the Pentagon announce?',
  'What weapons did the US send to Ukraine?',
  'What did Germany do with Rosneft?',
];

async function* arriving(lines: readonly string[]): AsyncIterable<string> {
  yield* lines;
}

it('answers lines that arrive together in shared forward passes, and writes them in order', async () => {
  const config = await testConfig();
  const logger = memoryLogger();
  const { embedder: model } = await loadEmbedder(config, { logger });
  if (!model) throw new Error('the test model did not load');
  const passes: number[] = [];
  const counting: Embedder = {
    fingerprint: model.fingerprint,
    embedDocuments: (texts) => model.embedDocuments(texts),
    embedQueries: (texts) => {
      passes.push(texts.length);
      return model.embedQueries(texts);
    },
  };
  const service = await createAnswerService(config, { logger, embedder: counting });
  passes.length = 0;

  const written: string[] = [];
  await answerBatch(service, arriving(QUESTIONS.map((q) => JSON.stringify({ q }))), (line) => written.push(line));

  expect(written.map((line) => (JSON.parse(line) as { q: string }).q)).toEqual(QUESTIONS);
  // One question per pass would be 8 passes.
  expect(passes.length).toBeLessThanOrEqual(2);
  expect(passes.reduce((a, b) => a + b, 0)).toBe(QUESTIONS.length);
});

it('answers the lines of one thread as one conversation, in order, and other lines on their own', async () => {
  const config = await testConfig();
  const service = await createAnswerService(config, { logger: memoryLogger() });
  const lines = [
    { q: 'Who is Ben Hodges?', thread: 'alice' },
    { q: 'Who took control of three refineries?' },
    { q: 'What did he say about ethnic groups?', thread: 'alice' },
    { q: 'What did he say about ethnic groups?' },
    { q: 'Who took control of three refineries?', article: 'no-such-article' },
  ];
  const written: string[] = [];
  await answerBatch(service, arriving(lines.map((l) => JSON.stringify(l))), (line) => written.push(line));
  const results = written.map((line) => JSON.parse(line) as { q?: string; kind: string; understood?: string; answer?: string; message?: string });

  expect(results.map((r) => r.q ?? r.kind)).toEqual([...lines.slice(0, 4).map((l) => l.q), 'invalid']);
  expect(results[2]).toMatchObject({ kind: 'answer', understood: 'About Ben Hodges' });
  expect(results[2]!.answer).toContain('120 different ethnic groups');
  expect(results[3]).not.toHaveProperty('understood');
  expect(results[4]!.message).toBe('line 5: there is no article "no-such-article" (articles: us-escalates-conflict-2022-09-16)');
});
