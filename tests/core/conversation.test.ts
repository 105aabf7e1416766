import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { articleIdOf } from '../../src/app.js';
import { parseArticle } from '../../src/core/article.js';
import { buildArticleIndex } from '../../src/core/article-index.js';
import { createConversationMemory, resolveFollowUp, type FollowUpContext, type Turn } from '../../src/core/conversation.js';
import { createLibraryAnswerer, type LibraryAnswerer } from '../../src/core/library-answerer.js';
import type { AnswerResult } from '../../src/core/types.js';
import { PROJECT_ROOT } from '../support/run-cli.js';

const SEED = path.join(PROJECT_ROOT, 'articles', 'us-escalates-conflict-2022-09-16.txt');
const BATTERY = path.join(PROJECT_ROOT, 'eval', 'articles', 'grid-battery-sodium-2026-03-03.txt');

const context: FollowUpContext = {
  people: ['Ben Hodges', 'Mitch McConnell', 'Marco Rubio'],
  knows: (word) => ['hodges', 'ethnic', 'groups', 'russia', 'taiwan', 'aid', 'announce', 'thursday', 'mcconnell', 'rubio', 'weapons', 'ukraine', 'rounds', 'package', 'drones'].includes(word),
};

function turn(question: string, result: Partial<AnswerResult> = {}): Turn {
  return { question, resolved: question, at: 0, result: { kind: 'answer', answer: '', citations: [], mode: 'lexical', basis: 'passages', ...result } };
}

describe('reading a follow-up in the light of the last turn', () => {
  it('reads "he" as the person just asked about, and says so', () => {
    expect(resolveFollowUp('What did he say?', turn('Who is Ben Hodges?'), context)).toEqual({ text: 'What did Ben Hodges say?', understood: 'About Ben Hodges' });
  });

  it('reads "he" as the person the last answer named when the question named none', () => {
    const previous = turn('who is demanding atacms for ukraine', { short: 'Mitch McConnell' });
    expect(resolveFollowUp('what else does he want', previous, context)?.text).toMatch(/^what else does Mitch McConnell want/);
  });

  it('puts a new name or number where the last question had one of its kind', () => {
    expect(resolveFollowUp('and rubio?', turn('what did mcconnell say about weapons for ukraine'), context)?.text).toBe('what did rubio say about weapons for ukraine');
    expect(resolveFollowUp('and 155mm?', turn('how many 105mm rounds are in the package'), context)?.text).toBe('how many 155mm rounds are in the package');
    expect(resolveFollowUp('and taiwan?', turn('how much aid did the us announce on thursday'), context)?.text).toBe('how much aid did the taiwan announce on thursday');
  });

  it('puts a new circumstance where the last question had one, a time where it had a time', () => {
    expect(resolveFollowUp('and in the cold?', turn('how much capacity did the cell keep after 8000 cycles'), context)?.text).toBe('how much capacity did the cell keep in the cold');
    expect(resolveFollowUp('what about in May?', turn('what did hodges say in april about the war in ukraine'), context)?.text).toBe('what did hodges say in May about the war in ukraine');
  });

  it('knows a question about the last answer itself: "who said that?"', () => {
    expect(resolveFollowUp('who said that?', turn('is anyone worried about the drying'), context)?.aboutLastAnswer).toBe(true);
    expect(resolveFollowUp('what for', turn('how much is saltwell raising'), context)?.aboutLastAnswer).toBe(true);
    expect(resolveFollowUp("who's paying for most of it", turn('how much will the kartuzy system cost'), context)?.aboutLastAnswer).toBe(true);
    expect(resolveFollowUp('was that too late?', turn('when did matvogn tell the regulator'), context)?.aboutLastAnswer).toBe(true);
    // A negated verb is still its own question, not an ellipsis of the last one.
    const whyNot = resolveFollowUp("so why didn't they go with that", turn('how much would repairing the old building have cost'), context);
    expect(whyNot).toMatchObject({ text: "so why didn't they go with that — repairing old building cost", aboutLastAnswer: true });
    expect(resolveFollowUp('what else did he want', turn('what did mcconnell want'), context)?.aboutLastAnswer).toBeUndefined();
  });

  it('knows a question about what came of the last answer: "did it pass?", "what happened to it?"', () => {
    expect(resolveFollowUp('did it pass', turn('who proposed delaying the decision'), context)?.asksOutcome).toBe(true);
    expect(resolveFollowUp('what happened to it?', turn('did anyone try to delay it'), context)?.asksOutcome).toBe(true);
    expect(resolveFollowUp('what had just happened then', turn('when did russia retreat'), context)?.asksOutcome).toBeUndefined();
  });

  it('counts what the last question counted, and takes a new verb for the old one', () => {
    expect(resolveFollowUp('and how many were saved?', turn('how many rounds were destroyed in the attack'), context)?.text).toBe('and how many rounds were saved? — attack');
  });

  it('carries the last question along for a pronoun or a bare "why?"', () => {
    const followUp = resolveFollowUp('why?', turn('Who voted against the rebuild?'), { people: [], knows: () => true });
    expect(followUp?.text).toBe('why? — voted rebuild');
    expect(followUp?.understood).toBe('Following on from "Who voted against the rebuild?"');
  });

  it('answers a question that stands on its own on its own', () => {
    expect(resolveFollowUp('What did Marco Rubio say about longer-range missiles?', turn('Who is Ben Hodges?'), { ...context, knows: () => true })).toBeUndefined();
    expect(resolveFollowUp('btw unrelated, what did he say about taiwan', turn('Who is Ben Hodges?'), context)).toBeUndefined();
    // A country the article never mentions is a topic of its own, not a hole the last question fills.
    expect(resolveFollowUp('What is the capital of France?', turn('Who took control of three refineries?'), context)).toBeUndefined();
  });
});

describe('conversation memory', () => {
  it('forgets a conversation ten minutes after its last answer', () => {
    let now = 0;
    const memory = createConversationMemory({ now: () => now });
    memory.record('dm:alice', { ...turn('Who is Ben Hodges?'), at: 0 });
    now = 9 * 60_000;
    expect(memory.previous('dm:alice')?.question).toBe('Who is Ben Hodges?');
    now = 10 * 60_000 + 1;
    expect(memory.previous('dm:alice')).toBeUndefined();
  });

  it('holds at most its capacity of conversations, forgetting the least recently used', () => {
    const memory = createConversationMemory({ capacity: 2, now: () => 0 });
    for (const key of ['a', 'b', 'c']) memory.record(key, turn(key));
    expect(memory.size).toBe(2);
    expect(memory.previous('a')).toBeUndefined();
    expect(memory.previous('c')?.question).toBe('c');
  });
});

describe('a library of two articles (lexical)', () => {
  let answerer: LibraryAnswerer;
  beforeAll(async () => {
    const articles = await Promise.all([SEED, BATTERY].map(async (file) => parseArticle(await readFile(file, 'utf8'), articleIdOf(file))));
    answerer = createLibraryAnswerer({ indexes: await Promise.all(articles.map((article) => buildArticleIndex({ article }))), topK: 3 });
  });

  it('answers each question from the article that holds the answer, and says which', async () => {
    const battery = await answerer.answer('How many cycles did the sodium cell last?');
    expect(battery).toMatchObject({ kind: 'answer', article: 'grid-battery-sodium-2026-03-03' });
    expect(battery.citations.every((c) => c.article === 'grid-battery-sodium-2026-03-03')).toBe(true);
    expect(await answerer.answer('Who took control of the Rosneft refineries?')).toMatchObject({ kind: 'answer', article: 'us-escalates-conflict-2022-09-16' });
  });

  it('does not answer from an article that never names what another article names', async () => {
    // The seed article has a "project" but no Kartuzy; the battery article has Kartuzy but not who pays.
    expect(await answerer.answer('Who is paying for the Kartuzy project?')).toMatchObject({ kind: 'not-covered' });
  });

  it('finds the article of a question with typos or a capital for its country', async () => {
    expect(await answerer.answer('who is mcconel')).toMatchObject({ kind: 'answer', article: 'us-escalates-conflict-2022-09-16' });
    expect(await answerer.answer('what did the germans do with the refinerys')).toMatchObject({ kind: 'answer', article: 'us-escalates-conflict-2022-09-16' });
  });

  it('restricts a question to the article asked for', async () => {
    expect(await answerer.answer('How many cycles did the sodium cell last?', { article: 'us-escalates-conflict-2022-09-16' })).toMatchObject({
      kind: 'not-covered',
      article: 'us-escalates-conflict-2022-09-16',
    });
    await expect(answerer.answer('anything', { article: 'no-such-article' })).rejects.toThrow(/no article "no-such-article"/);
  });

  it('asks which article a bare metadata question means, or answers for the conversation’s article', async () => {
    const asked = await answerer.answer('Who wrote it?');
    expect(asked.kind).toBe('clarify');
    expect(asked.answer).toMatch(/Which article do you mean\?.*Salt-based battery.*After Russian debacle/s);

    await answerer.answer('Who is the chief executive of Saltwell?', { conversation: 'dm:alice' });
    expect(await answerer.answer('Who wrote it?', { conversation: 'dm:alice' })).toMatchObject({ kind: 'answer', short: 'Helen Okafor' });
    expect(await answerer.answer('Who wrote the piece about the battery?')).toMatchObject({ kind: 'answer', short: 'Helen Okafor' });
  });

  it('answers a follow-up in the light of the conversation, and a new conversation on its own', async () => {
    await answerer.answer('Who is Ben Hodges?', { conversation: 'thread:1' });
    const followUp = await answerer.answer('What did he say about ethnic groups?', { conversation: 'thread:1' });
    expect(followUp).toMatchObject({ kind: 'answer', understood: 'About Ben Hodges' });
    expect(followUp.answer).toContain('120 different ethnic groups');
    expect(await answerer.answer('What did he say about ethnic groups?', { conversation: 'thread:2' })).not.toHaveProperty('understood');
  });

  it('answers a question about the answer just given ("who said that?", "who pays for that") from it', async () => {
    await answerer.answer('is anyone worried about the drying working in a factory', { conversation: 'dm:bob' });
    expect(await answerer.answer('who said that?', { conversation: 'dm:bob' })).toMatchObject({ kind: 'answer', short: 'Priya Natarajan' });
    await answerer.answer('how much is the kartuzy system costing', { conversation: 'dm:carol' });
    expect((await answerer.answer('who pays for that', { conversation: 'dm:carol' })).answer).toContain('European Union innovation grant');
    await answerer.answer('How much will the Kartuzy system cost?', { conversation: 'dm:erin' });
    expect((await answerer.answer("who's paying for most of it", { conversation: 'dm:erin' })).answer).toContain('European Union innovation grant');
  });

  it('answers a follow-up from the sentence just quoted when it holds a new answer, found by the follow-up\'s own words', async () => {
    await answerer.answer('where is saltwell building its factory', { conversation: 'dm:fay' });
    expect(await answerer.answer('how much will it cost', { conversation: 'dm:fay' })).toMatchObject({ kind: 'answer', short: '350 million zloty' });
    await answerer.answer('where will saltwell build its factory', { conversation: 'dm:gus' });
    expect(await answerer.answer('how big wil it be', { conversation: 'dm:gus' })).toMatchObject({ kind: 'answer', short: '1 gigawatt-hour' });
  });

  it('answers what came of the last answer with what the article tells next', async () => {
    await answerer.answer('who repeated the experiment in denmark', { conversation: 'dm:dan' });
    const outcome = await answerer.answer('how did it go?', { conversation: 'dm:dan' });
    expect(outcome).toMatchObject({ kind: 'answer', understood: 'Following on from "who repeated the experiment in denmark"' });
    expect(outcome.answer).toMatch(/^So far the Danish cells have completed 5,000 cycles/);
  });
});
