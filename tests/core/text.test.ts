import { describe, expect, it } from 'vitest';
import { createBm25Index } from '../../src/core/bm25.js';
import { checkQuestion } from '../../src/core/question.js';
import { stemWord as stem, terms } from '../../src/core/terms.js';
import { splitSentences } from '../../src/core/text.js';
import { MAX_QUESTION_CHARS } from '../../src/limits.js';

describe('terms', () => {
  it('maps inflections of one word to one term', () => {
    expect(new Set(['refineries', 'refinery'].map(stem)).size).toBe(1);
    expect(new Set(['escalation', 'escalated', 'escalating'].map(stem)).size).toBe(1);
    expect(new Set(['weapons', 'weapon'].map(stem)).size).toBe(1);
  });

  it('maps irregular and regular verb forms to one term, without merging different words', () => {
    for (const forms of [['sent', 'send', 'sends'], ['given', 'give', 'gave'], ['voted', 'vote', 'votes'], ['supplies', 'supply', 'supplied']]) {
      expect(new Set(forms.map(stem)).size, forms.join('/')).toBe(1);
    }
    expect(stem('count')).not.toBe(stem('counteroffensive'));
    // "found" is the past of "find" (in news nearly always); the company was "founded", apart.
    expect(stem('found')).toBe(stem('find'));
    expect(stem('founded')).not.toBe(stem('find'));
    // "left" may be a direction or a wing: never merged with "leave".
    expect(stem('left')).not.toBe(stem('leave'));
  });

  it('drops function words but keeps an acronym that spells one', () => {
    expect(terms('What did the US send to Ukraine?')).toEqual(['country:usa', 'send', 'country:ukr']);
    expect(terms('How did the U.S. respond?')).toEqual(['country:usa', 'respond']);
    expect(terms('Tell us about it')).toEqual([]);
  });

  it('folds possessives, accents and hyphens', () => {
    expect(terms("Russia's café long-range")).toEqual(['country:rus', 'cafe', 'longrang', 'long', 'rang']);
  });
});

describe('splitSentences', () => {
  it('does not split at an ellipsis followed by lower case', () => {
    expect(splitSentences('We think... maybe not. Then more.')).toEqual(['We think... maybe not.', 'Then more.']);
  });

  it('falls back to plain splitting when quotes do not balance', () => {
    expect(splitSentences('He said "it is over. We won. Then he left.')).toHaveLength(3);
  });
});

describe('BM25', () => {
  const index = createBm25Index([
    'Germany took control of three refineries owned by Rosneft.',
    'The Taiwan Policy Act would send weapons to Taiwan.',
    'Ukraine received HIMARS launchers and artillery.',
  ]);

  it('ranks the document sharing the rarest terms first and gives 0 to unrelated ones', () => {
    const scores = index.score(terms('Which refineries did Rosneft own?'));
    expect(scores[0]).toBeGreaterThan(0);
    expect(scores[1]).toBe(0);
    expect(scores[2]).toBe(0);
  });

  it('matches a country by its demonym', () => {
    const scores = index.score(terms('What did German authorities do?'));
    expect(scores[0]).toBeGreaterThan(0);
  });
});

describe('checkQuestion', () => {
  it('normalises white space and strips invisible characters', () => {
    expect(checkQuestion('  What\u200b  did\u0007 McConnell\n say? ')).toEqual({ ok: true, question: 'What did McConnell say?' });
  });

  it.each([
    ['', 'empty', /ask a question/],
    ['   \u200b ', 'empty', /ask a question/],
    ['🙂🙂🙂', 'no-words', /no words/],
    ['x'.repeat(MAX_QUESTION_CHARS + 1), 'too-long', new RegExp(`the limit is ${MAX_QUESTION_CHARS}\\.$`)],
  ])('refuses %j with a reason the user can act on', (input, reason, message) => {
    const check = checkQuestion(input);
    expect(check).toMatchObject({ ok: false, reason });
    if (!check.ok) expect(check.message).toMatch(message);
  });

  it('accepts non-Latin scripts', () => {
    expect(checkQuestion('Что случилось с Украиной?').ok).toBe(true);
    expect(checkQuestion('乌克兰发生了什么？').ok).toBe(true);
  });
});
