import { describe, expect, it } from 'vitest';
import { findSpans } from '../../src/core/annotate.js';
import { correctTypos, detectFocus, analyzeQuestion, normalizeChat, questionProper } from '../../src/core/query.js';
import { terms } from '../../src/core/terms.js';
import { buildVocabulary } from '../../src/core/vocabulary.js';

const ARTICLE = [
  'On Thursday, the Biden administration announced an additional $600 million in weapons to Ukraine.',
  'US Senate Minority Leader Mitch McConnell demanded the long-range ATACMS missile.',
  'On Friday, the German government took control of three refineries owned by Russian oil company Rosneft.',
  'Russian president Vladimir Putin and Chinese President Xi Jinping met at the Shanghai Cooperation Organization summit.',
  '"The chemistry is done," said Tomasz Lis, chief executive of Saltwell Energy.',
];
const known = new Set(ARTICLE.flatMap((t) => terms(t)));
const vocabulary = buildVocabulary(ARTICLE, (t) => known.has(t));
const words = (question: string) => analyzeQuestion(question, vocabulary).words;
const word = (question: string, typed: string) => words(question).find((w) => w.word === typed);

describe('what a question asks for (its focus)', () => {
  it.each([
    ['How much new aid did Washington announce?', { type: 'amount' }],
    ['how many refineries did germany seize', { type: 'number', counted: ['refineri'] }],
    // A past form closing the phrase is its verb: residents are counted, not "turned".
    ['How many residents turned up?', { type: 'number', counted: ['resid'] }],
    ['how many armoured vehicles were lost', { type: 'number', counted: ['armour', 'vehicl'] }],
    ['how many drones delivered to date', { type: 'number', counted: ['drone'] }],
    ['How far did the troops advance?', { type: 'number', measure: 'distance' }],
    ['When did the committee vote?', { type: 'date' }],
    ['Where did Putin and Xi meet?', { type: 'place' }],
    ['Who said the momentum had shifted?', { type: 'speaker' }],
    ['What did McConnell say about tanks?', { type: 'quote', subject: ['mcconnel'], strict: true }],
    ['How did Putin react?', { type: 'quote', subject: ['putin'], strict: false }],
    ["what's the regulator telling other apps to do?", { type: 'quote', subject: ['regul'], strict: false }],
    ['Which paper did Gabuev talk to?', { type: 'organisation', strict: true, typed: true }],
    ['which city hosted the summit', { type: 'place', settlement: true, strict: true, typed: true }],
    ['Over which island is the US gearing up for war?', { type: 'place', strict: true, typed: true, preposition: 'over' }],
    ['whats the population of tczew', { type: 'number', strict: true }],
    ['kartuzy mayor?', { type: 'person', strict: false }],
    // The head of a noun phrase is its last noun; a possessive only says whose it is.
    ["What's the US's official position on Taiwan?", { type: 'other' }],
    ["What is the mayor's salary?", { type: 'amount', measure: 'money', strict: true }],
    ['Which Chinese manufacturers already sell them?', { type: 'organisation', strict: true, typed: true }],
    ['which senator said that', { type: 'person', strict: true, typed: true }],
    ['Is the bill a treaty?', { type: 'yes-no' }],
    ['which jounral was the study in', { type: 'organisation', strict: true, typed: true }],
    // A question naming the place itself asks what it is.
    ['whats the hartley road site', { type: 'definition', describes: true }],
    // A price asked the way people ask it.
    ['what will the pilot cost', { type: 'amount', measure: 'money' }],
    ["whats the taiwan bill worth", { type: 'amount', measure: 'money' }],
    ['what are the cells selling for', { type: 'amount', measure: 'money' }],
    ["what's it going to set taxpayers back", { type: 'amount', measure: 'money' }],
    ['what did he pay attention to', { type: 'other' }],
    // A vote's count is a tally ("6-3"); counting votes is not.
    ['vote count?', { type: 'number', measure: 'tally' }],
    ['what was the vote on the amendment', { type: 'number', measure: 'tally', strict: true }],
    ['how many votes did she get', { type: 'number', counted: ['vote'] }],
    ['Did the mayor vote yes', { type: 'yes-no' }],
    // The source a reader names: the answer is in what they say, unless a kind of span is asked for.
    ["What's Washington's goal, according to Hodges?", { type: 'quote', subject: ['hodg'], strict: false }],
    ["what's the worry with long-range missiles, per rubio?", { type: 'quote', subject: ['rubio'], strict: false }],
    ['How far can ATACMS reach, according to McConnell?', { type: 'number', measure: 'distance' }],
    ['how does it compare with LFP per kilo', { type: 'other' }],
    ['Why did Germany seize the refineries?', { type: 'reason' }],
  ])('%j → %o', (question, focus) => {
    expect(detectFocus(question)).toEqual(focus);
  });

  it('reads the question proper, not the context before it or a clause inside it', () => {
    expect(questionProper('I keep hearing about the offensive. How long did the advance take?')).toBe('How long did the advance take?');
    expect(detectFocus('How do grid operators judge how long a battery will last?').type).toBe('other');
    expect(detectFocus('Ukrainian forces advanced how far in one week?')).toMatchObject({ type: 'number', measure: 'distance' });
  });

  it('reads a per-cent sign standing for the word as the word', () => {
    expect(analyzeQuestion('fine as % of revenue?', vocabulary).focus).toEqual({ type: 'amount', measure: 'share', strict: true });
    expect(analyzeQuestion('what % of turnover was it', vocabulary).focus).toMatchObject({ type: 'amount', measure: 'share' });
  });

  it('reads chat spellings of question words', () => {
    expect(normalizeChat('wat think tank is he at, pls')).toBe('what think tank is he at, please');
    expect(detectFocus(normalizeChat('wich paper did he talk to'))).toMatchObject({ type: 'organisation' });
    expect(detectFocus(normalizeChat('wheres the factory going to be'))).toMatchObject({ type: 'place' });
  });
});

describe('what each question word can match in the article', () => {
  it('corrects a typo to a word of the article, but never an English word to another', () => {
    expect(word('mcconel atacms', 'mcconel')).toMatchObject({ absence: undefined, alternatives: [{ term: 'mcconel' }, { term: 'mcconnel', credit: 0.6 }] });
    // "aid" is a word of its own: not a misspelling of "aim" or "said".
    expect(word('military aid', 'aid')?.alternatives).toHaveLength(1);
  });

  it('counts two neighbouring letters swapped as one typo, as people make it', () => {
    // "rosenft" is one slip from "Rosneft" (credit 0.8), not two (0.6).
    expect(word('who owns rosenft', 'rosenft')?.alternatives).toEqual([{ term: 'rosenft', credit: 1 }, { term: 'rosneft', credit: 0.8 }]);
    expect(word('what did xi and putni say', 'putni')?.alternatives).toContainEqual({ term: 'putin', credit: 0.8 });
  });

  it('matches a prefixed word the article never uses to its root, at half credit', () => {
    // The article says "announced", never "reannounced".
    expect(word('did they reannounce it', 'reannounce')?.alternatives).toContainEqual({ term: 'announc', credit: 0.5 });
  });

  it('reads a misspelt country as the country, as the article names it', () => {
    // The article says "US"; "amercia" is one slip (two letters swapped) from "america".
    expect(word('how much did amercia announce', 'amercia')?.alternatives).toContainEqual({ term: 'country:usa', credit: 0.8 });
    // The model reads the country's name.
    expect(correctTypos('and what about polnad', vocabulary)).toBe('and what about poland');
  });

  it('matches a capital to its country, at reduced credit', () => {
    expect(word('What did Berlin seize?', 'berlin')?.alternatives).toContainEqual({ term: 'country:deu', credit: 0.6 });
    expect(word('What did Washington announce?', 'washington')?.alternatives).toContainEqual({ term: 'country:usa', credit: 0.6 });
  });

  it('spells out abbreviations and acronyms the article writes in full', () => {
    expect(word('where was the sco summit', 'sco')?.alternatives.map((a) => a.term)).toEqual(expect.arrayContaining(['shanghai', 'cooper', 'organ']));
    expect(word('what did the ceo say', 'ceo')?.alternatives.map((a) => a.term)).toEqual(expect.arrayContaining(['chief', 'execut']));
  });

  it('tells a name or number the article never mentions from an ordinary word it does not use', () => {
    expect(word('What did Zelensky say?', 'zelensky')?.absence).toBe('name');
    expect(word('what will the 22nd drawdown include', '22nd')?.absence).toBe('number');
    expect(word('did ukraine grab russian ammo', 'grab')?.absence).toBe('common');
    // Glued words and misspellings of ordinary words are ordinary too.
    expect(word('who doublechecked the results', 'doublechecked')?.absence).toBe('common');
    expect(word('how much mony for taiwan', 'mony')?.absence).toBe('common');
  });

  it('drops misspelled function words', () => {
    expect(words('acording to mcconnell').map((w) => w.word)).toEqual(['mcconnell']);
  });
});

describe('numbers, dates and names in a sentence', () => {
  it.each([
    ['Ukrainian forces advanced dozens of miles, capturing thousands of soldiers.', ['number:dozens of miles', 'number:thousands']],
    ['The loan adds about $22 a year; the project costs an estimated $4.1 million.', ['amount:about $22', 'amount:an estimated $4.1 million']],
    ['At minus 20 degrees Celsius they delivered 88 percent of their capacity.', ['number:minus 20 degrees Celsius', 'number:88 percent']],
    ['It was a six-month-old invasion; construction begins in spring 2027.', ['number:six-month-old', 'date:spring 2027']],
    ['The trade-off is weight.', []],
    // A tally is one number: "6-3", "5–4", "52 to 48".
    ['The council voted 6-3; the amendment failed 5–4 and the bill passed 52 to 48.', ['number:6-3', 'number:5–4', 'number:52 to 48']],
    // …but "from 9 to 31" is a change between two numbers.
    ['The team grew from 9 to 31 people.', ['number:9', 'number:31']],
  ])('%j', (sentence, expected) => {
    expect(findSpans(sentence).filter((s) => s.type === 'number' || s.type === 'amount' || s.type === 'date').map((s) => `${s.type}:${s.text}`)).toEqual(expected);
  });

  it.each([
    ['The result was read out shortly before 10:40 p.m.', ['time:shortly before 10:40 p.m.']],
    ['The polls close at 9pm.', ['time:9pm']],
    ['He wanted to delay the decision until after the provincial budget in the spring.', ['time:until after the provincial budget']],
    // "after 8" is no time: the number is 8,000.
    ['It kept 91 percent of its capacity after 8,000 full cycles.', ['number:91 percent', 'number:8,000']],
  ])('reads %j as %j: a time whole, ending on a word of its own', (sentence, expected) => {
    expect(findSpans(sentence).map((s) => `${s.type}:${s.text}`)).toEqual(expected);
  });

  it('ends a time before the clause that follows it: "Since then", not "Since then I have had two"', () => {
    expect(findSpans('"Since then I have had two calls from people pretending to be from my bank," she said.').map((s) => `${s.type}:${s.text}`)).toEqual(['time:Since then', 'number:two']);
  });

  it('types a name ending in a company or public-body word as an organisation', () => {
    const spans = findSpans('A researcher at Northwatch Security found it. The Data Protection Inspectorate fined Nordhavn Insurance in 2022.');
    expect(spans.filter((s) => s.type === 'organisation').map((s) => s.text)).toEqual(['Northwatch Security', 'Data Protection Inspectorate', 'Nordhavn Insurance']);
    // A plural possessive inside a name keeps it whole.
    expect(findSpans("The Estmark Couriers' Union said the penalty did not go far enough.").map((s) => `${s.type}:${s.text}`)).toEqual(["organisation:Estmark Couriers' Union"]);
  });

  it('types names by their titles and context', () => {
    const spans = findSpans('US Senate Minority Leader Mitch McConnell asked the White House, and Russian oil company Rosneft agreed in Kartuzy.');
    expect(spans.map((s) => `${s.type}:${s.text}`)).toEqual(
      expect.arrayContaining(['person:Mitch McConnell', 'organisation:White House', 'organisation:Rosneft', 'place:Kartuzy']),
    );
  });
});

describe('the question the embedding model reads', () => {
  it.each([
    ['what did mcconel demand', 'what did mcconnell demand'],
    ['who owns rosnef', 'who owns rosneft'],
    // Words any dictionary knows are left alone, even one edit from the article's ("aim" is not "aid").
    ['what is the aim of the summit', 'what is the aim of the summit'],
    ['who owns the refineries', 'who owns the refineries'],
  ])('%j → %j', (question, read) => {
    expect(correctTypos(question, vocabulary).toLowerCase()).toBe(read);
  });
});
