import { ButtonStyle, ComponentType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { AnswerResult, Article, Passage } from '../../src/core/types.js';
import { UserError } from '../../src/errors.js';
import { articleRef, parseCustomId } from '../../src/discord/custom-ids.js';
import {
  leadSummary,
  LEXICAL_NOTE,
  passageChoices,
  recoverAnswerFromEmbed,
  renderAnswer,
  renderArticle,
  renderPassage,
  renderPassages,
} from '../../src/discord/render.js';
import { toMessagePayloads } from '../../src/discord/respond.js';
import { totalLength } from '../../src/discord/text.js';

function passage(number: number, sentences: string[]): Passage {
  return { number, text: sentences.join(' '), sentences };
}

const article: Article = {
  id: 'us-escalates',
  headline: 'US escalates conflict',
  author: 'Jane Reporter',
  date: '16 September 2022',
  isoDate: '2022-09-16',
  contentHash: 'x',
  passages: [
    passage(1, ['The first sentence opens the story.', 'A second sentence adds detail.', 'A third one closes the lead.', 'A fourth is not in the lead.']),
    passage(2, ['Refineries were taken over on Friday.']),
    ...Array.from({ length: 30 }, (_, i) => passage(i + 3, [`Paragraph ${i + 3} talks about sanctions and oil in some depth.`])),
  ],
};

const answer: AnswerResult = {
  kind: 'answer',
  answer: 'Refineries were taken over on Friday.',
  citations: [
    { article: 'us-escalates', passage: 2, score: 1, quote: 'Refineries were taken over on Friday.' },
    { article: 'us-escalates', passage: 14, score: 0.6, quote: '' },
  ],
  mode: 'hybrid',
  basis: 'passages',
};

describe('renderAnswer', () => {
  it('quotes the answer with its ¶, lists the sources, shows the article and offers the buttons', () => {
    const reply = renderAnswer({ article, question: 'What happened to the refineries?', result: answer, answerId: 'abcDEF12' });
    const embed = reply.embeds![0]!;
    expect(embed.author?.name).toBe('US escalates conflict — Jane Reporter');
    expect(embed.title).toBe('What happened to the refineries?');
    expect(embed.description).toBe('“Refineries were taken over on Friday.” — **¶2**');
    expect(embed.fields).toEqual([{ name: 'Sources', value: '¶2, ¶14' }]);
    expect(embed.footer).toBeUndefined();
    const buttons = reply.components![0]!.components;
    expect(buttons.map((b) => ('custom_id' in b ? b.custom_id : undefined))).toEqual([`passages:${articleRef('us-escalates')}:2,14`, 'vote:up:abcDEF12', 'vote:down:abcDEF12']);
    expect(buttons.every((b) => b.type === ComponentType.Button && b.style === ButtonStyle.Secondary)).toBe(true);
  });

  it('notes lexical mode in the footer', () => {
    const reply = renderAnswer({ article, question: 'q?', result: { ...answer, mode: 'lexical' }, answerId: 'a1' });
    expect(reply.embeds![0]!.footer?.text).toBe(LEXICAL_NOTE);
  });

  it('says plainly when the article does not cover the question, points to /article, and offers no passages', () => {
    const reply = renderAnswer({
      article,
      question: 'Who won the football?',
      result: { kind: 'not-covered', answer: 'The article does not cover that.', citations: [], mode: 'hybrid', basis: 'none' },
      answerId: 'a1',
    });
    expect(reply.embeds![0]!.description).toBe('The article does not cover that. Try `/article` to see what it does cover.');
    expect(reply.embeds![0]!.fields).toBeUndefined();
    expect(reply.components![0]!.components.map((b) => ('custom_id' in b ? b.custom_id : ''))).toEqual(['vote:up:a1', 'vote:down:a1']);
  });

  it('leads with the short answer in bold, then the quoted sentence', () => {
    const reply = renderAnswer({ article, question: 'When were the refineries taken?', result: { ...answer, short: 'Friday' }, answerId: 'a1' });
    expect(reply.embeds![0]!.description).toBe('**Friday**\n\n“Refineries were taken over on Friday.” — **¶2**');
  });

  it('puts the short answer of a metadata answer in bold where the sentence says it', () => {
    const result: AnswerResult = { kind: 'answer', answer: 'The article was written by Jane Reporter.', article: 'us-escalates', citations: [], mode: 'hybrid', basis: 'metadata', short: 'Jane Reporter' };
    const reply = renderAnswer({ article, question: 'Who wrote it?', result, answerId: 'a1' });
    expect(reply.embeds![0]!.description).toBe('The article was written by **Jane Reporter**.');
    // Read back without the bold markers.
    expect(recoverAnswerFromEmbed(reply.embeds![0])?.answer).toBe('The article was written by Jane Reporter.');
  });

  it('lists where a not-covered question comes closest, and Show passages shows those passages', () => {
    const result: AnswerResult = {
      kind: 'not-covered',
      answer: 'The article does not cover that.',
      article: 'us-escalates',
      citations: [],
      mode: 'hybrid',
      basis: 'none',
      related: [
        { article: 'us-escalates', passage: 2, score: 1, quote: '' },
        { article: 'us-escalates', passage: 5, score: 0.5, quote: '' },
      ],
    };
    const reply = renderAnswer({ article, question: 'Who owns the refineries now?', result, answerId: 'a1' });
    const embed = reply.embeds![0]!;
    expect(embed.description).toBe('The article does not cover that. Try `/article` to see what it does cover.');
    expect(embed.fields).toEqual([{ name: 'Closest', value: '**¶2** — “Refineries were taken over on Friday.”\n**¶5** — “Paragraph 5 talks about sanctions and oil in some depth.”' }]);
    const ids = reply.components![0]!.components.map((b) => ('custom_id' in b ? parseCustomId(b.custom_id) : undefined));
    expect(ids[0]).toEqual({ kind: 'passages', article: articleRef('us-escalates'), passages: [2, 5] });
    // Still read back as an answer that cites nothing.
    expect(recoverAnswerFromEmbed(embed)?.citations).toEqual([]);
  });

  it('asks back plainly, without naming an article, when the question needs one named', () => {
    const result: AnswerResult = { kind: 'clarify', answer: 'Which article do you mean? I can say who wrote any of the 2: “A” (a); “B” (b).', citations: [], mode: 'hybrid', basis: 'metadata' };
    const reply = renderAnswer({ article: undefined, question: 'Who wrote it?', result, answerId: 'a1', librarySize: 2 });
    const embed = reply.embeds![0]!;
    expect(embed.author).toBeUndefined();
    expect(embed.description).toBe('Which article do you mean? I can say who wrote any of the 2: “A” (a); “B” (b).\n\nPick the article with `/ask article:`, or name it in your question.');
    expect(reply.components![0]!.components.map((b) => ('custom_id' in b ? b.custom_id : ''))).toEqual(['vote:up:a1', 'vote:down:a1']);
  });

  it('with several articles in the library, names the article and its date, and says whose ¶ numbers the sources are', () => {
    const reply = renderAnswer({ article, question: 'q?', result: answer, answerId: 'a1', librarySize: 3 });
    const embed = reply.embeds![0]!;
    expect(embed.author?.name).toBe('US escalates conflict — Jane Reporter · 16 September 2022');
    expect(embed.fields).toEqual([{ name: 'Sources', value: '¶2, ¶14 of “US escalates conflict”' }]);
    expect(recoverAnswerFromEmbed(embed)?.citations.map((c) => c.passage)).toEqual([2, 14]);
  });

  it('escapes the question so it cannot format or mention', () => {
    const reply = renderAnswer({ article, question: '**@everyone** <@&123456789012345678>?', result: answer, answerId: 'a1' });
    expect(reply.embeds![0]!.title).not.toMatch(/\*\*|@everyone|<@&\d/);
  });

  it('can be read back for feedback after a restart', () => {
    const question = 'Who said *"no"* to @everyone?';
    const reply = renderAnswer({ article, question, result: answer, answerId: 'a1' });
    expect(recoverAnswerFromEmbed(reply.embeds![0])).toEqual({
      question,
      answer: 'Refineries were taken over on Friday.',
      citations: [
        { passage: 2, score: null, quote: 'Refineries were taken over on Friday.' },
        { passage: 14, score: null, quote: '' },
      ],
    });
  });
});

describe('passages', () => {
  it('shows one passage, and explains the valid range otherwise', () => {
    const embed = renderPassage(article, 2).embeds![0]!;
    expect(embed.title).toBe('¶2');
    expect(embed.description).toBe('Refineries were taken over on Friday.');
    expect(() => renderPassage(article, 99)).toThrow(new UserError("There is no ¶99: the article's passages are numbered 1–32."));
  });

  it('shows several passages in full, each within the 6000-character total of its message, noting ones that are gone', () => {
    const long = passage(1, Array.from({ length: 120 }, () => 'This is a long sentence in a long passage.'));
    const big: Article = { ...article, passages: [long, { ...long, number: 2 }, { ...long, number: 3 }] };
    const reply = renderPassages(big, [1, 2, 3, 40]);
    expect(reply.embeds?.map((e) => e.description)).toEqual([long.text, long.text, long.text]);
    expect(reply.content).toBe('¶40 is no longer in the article.');
    const messages = toMessagePayloads(reply);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(totalLength(message.embeds as never)).toBeLessThanOrEqual(6000);
    expect(() => renderPassages(big, [40])).toThrow(UserError);
  });
});

describe('passageChoices', () => {
  it('lists at most 25 passages with their first words when nothing is typed', () => {
    const choices = passageChoices(article, '');
    expect(choices).toHaveLength(25);
    expect(choices[0]).toEqual({ name: '¶1 — The first sentence opens the story. A second sentence adds detail. …', value: 1 });
    expect(choices.every((c) => c.name.length <= 100)).toBe(true);
  });

  it('matches numbers by prefix and words anywhere', () => {
    expect(passageChoices(article, '2').map((c) => c.value)).toEqual([2, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    expect(passageChoices(article, ' Refineries FRIDAY ').map((c) => c.value)).toEqual([2]);
    expect(passageChoices(article, 'nothing like this')).toEqual([]);
  });
});

describe('renderArticle', () => {
  it('shows headline, author, date, passage count and the lead', () => {
    const embed = renderArticle(article, 'hybrid').embeds![0]!;
    expect(embed.title).toBe('US escalates conflict');
    expect(embed.description).toBe('The first sentence opens the story. A second sentence adds detail. A third one closes the lead.');
    expect(embed.fields?.slice(0, 3).map((f) => `${f.name}: ${f.value}`)).toEqual(['Author: Jane Reporter', 'Date: 16 September 2022', 'Passages: 32 (¶1–¶32)']);
    expect(leadSummary(article, 40)).toBe('The first sentence opens the story.');
  });
});

describe('toMessagePayloads', () => {
  it('turns every mention off in every message and keeps each within 2000 characters', () => {
    const payloads = toMessagePayloads({ content: `@everyone ${'word '.repeat(600)}` });
    expect(payloads).toHaveLength(2);
    for (const payload of payloads) {
      expect(payload.allowedMentions).toEqual({ parse: [] });
      expect(payload.content!.length).toBeLessThanOrEqual(2000);
    }
  });

  it('passes custom ids that parse back', () => {
    const reply = renderAnswer({ article, question: 'q?', result: answer, answerId: 'a1' });
    const [first] = toMessagePayloads(reply);
    const ids = first!.components as unknown as { components: { custom_id: string }[] }[];
    expect(ids[0]!.components.map((b) => parseCustomId(b.custom_id)?.kind)).toEqual(['passages', 'vote', 'vote']);
  });
});
