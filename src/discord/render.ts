import { ButtonStyle, ComponentType, type APIButtonComponent, type APIEmbed } from 'discord.js';
import type { AnswerResult, Article, Passage, RetrievalMode } from '../core/types.js';
import { UserError } from '../errors.js';
import { DISCORD_AUTOCOMPLETE_CHOICES_MAX, DISCORD_CHOICE_NAME_MAX } from '../limits.js';
import type { RememberedAnswer } from './answer-memory.js';
import { encodePassagesId, encodeVoteId } from './custom-ids.js';
import type { Reply } from './respond.js';
import { escapeUserText, firstWords, formatPassageList, parsePassageList, truncateText, unescapeUserText } from './text.js';

/**
 * Pure renderers from core values to Discord replies. Everything dynamic is escaped here; the
 * reply helper then lays the result out within Discord's limits (texts of any length are shown
 * whole, across several embeds or messages).
 */

export const LEXICAL_NOTE = 'lexical search only — embedding model unavailable';
const SOURCES_FIELD = 'Sources';
/** Follows a not-covered answer; not part of the answer itself (feedback records it without). */
const NOT_COVERED_HINT = ' Try `/article` to see what it does cover.';
/** A neutral accent so answers are recognisable in a busy channel. */
const ACCENT = 0x5865f2;

/** "Headline — Author", the context line shown above every answer. */
export function articleContext(article: Article): string {
  return article.author ? `${article.headline} — ${article.author}` : article.headline;
}

/**
 * The context line when the library holds several articles: "Headline — Author · date", so an
 * answer cannot be mistaken for one about another article of the same name or story.
 */
export function articleSourceLine(article: Article): string {
  return article.date ? `${articleContext(article)} · ${article.date}` : articleContext(article);
}

/** Longest headline quoted next to ¶ numbers ("¶15 of “…”"): a recognisable start, not the whole line. */
const SHORT_HEADLINE_MAX = 60;

/** The headline cut to a recognisable start, escaped, for "¶15 of “…”". */
export function shortHeadline(article: Article): string {
  return escapeUserText(truncateText(article.headline, SHORT_HEADLINE_MAX));
}

export interface AnswerView {
  /** The article answered from (or searched); undefined when the result names none (a question back). */
  readonly article: Article | undefined;
  /** The question as checked (normalised) by the core. */
  readonly question: string;
  readonly result: AnswerResult;
  /** Names this answer in the vote buttons' custom ids. */
  readonly answerId: string;
  /** Articles in the library (default 1); with several, the answer names the article its ¶ numbers belong to. */
  readonly librarySize?: number;
}

/** How many of the closest passages a not-covered answer lists (the core gives at most this many). */
const RELATED_SHOWN = 2;
/** Characters of a closest passage's opening shown next to its ¶ number. */
const RELATED_PREVIEW_CHARS = 120;
const CLOSEST_FIELD = 'Closest';
/** Follows a question back ("which article?"); not part of the answer itself. */
const CLARIFY_HINT = '\n\nPick the article with `/ask article:`, or name it in your question.';

/**
 * An answer: the question as title, the short answer in bold when there is one, then the quoted
 * sentence(s) each with its ¶ number, the cited passages as a "Sources" field, the article as
 * context, the lexical-mode note in the footer, and Show passages / 👍 / 👎 buttons. With several
 * articles in the library the context line adds the date and the sources say which article their
 * ¶ numbers are in. A not-covered result says so plainly, points to `/article` and lists where
 * the article comes closest (Show passages then shows those); a question back ("which
 * article?") is shown as plainly as an answer.
 */
export function renderAnswer({ article, question, result, answerId, librarySize = 1 }: AnswerView): Reply {
  const several = librarySize > 1;
  const embed: APIEmbed = {
    color: ACCENT,
    title: escapeUserText(question),
    description: withUnderstood(result, describeResult(result)),
  };
  if (article) embed.author = { name: several ? articleSourceLine(article) : articleContext(article) };
  const within = several && article ? ` of “${shortHeadline(article)}”` : '';
  const cited = result.citations.map((c) => c.passage);
  const related = result.kind === 'not-covered' ? (result.related ?? []).slice(0, RELATED_SHOWN) : [];
  const fields = [];
  if (cited.length > 0) fields.push({ name: SOURCES_FIELD, value: `${formatPassageList(cited)}${within}` });
  if (related.length > 0) {
    const lines = related.map((c) => {
      const text = article?.passages.find((p) => p.number === c.passage)?.text;
      return `**¶${c.passage}**${text ? ` — “${escapeUserText(firstWords(text, RELATED_PREVIEW_CHARS))}”` : ''}`;
    });
    fields.push({ name: several && article ? `${CLOSEST_FIELD}, in “${shortHeadline(article)}”` : CLOSEST_FIELD, value: lines.join('\n') });
  }
  if (fields.length > 0) embed.fields = fields;
  if (result.mode === 'lexical') embed.footer = { text: LEXICAL_NOTE };

  const buttons: APIButtonComponent[] = [];
  // Every citation of one answer is in the article it was answered from.
  const shown = cited.length > 0 ? result.citations : related;
  const sourceId = shown[0]?.article;
  if (sourceId) {
    const numbers = shown.map((c) => c.passage);
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Show passages', custom_id: encodePassagesId(sourceId, numbers) });
  }
  buttons.push(
    { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👍' }, custom_id: encodeVoteId('up', answerId) },
    { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👎' }, custom_id: encodeVoteId('down', answerId) },
  );
  return { embeds: [embed], components: [{ type: ComponentType.ActionRow, components: buttons }] };
}

/**
 * A follow-up's answer opens with what the message was taken to mean ("*About Ben Hodges:*"), so
 * whoever reads "What did he say?" and its answer can tell who "he" was and correct it.
 */
export function withUnderstood(result: Pick<AnswerResult, 'understood'>, description: string): string {
  if (!result.understood) return description;
  return `*${escapeUserText(result.understood)}:*\n\n${description}`;
}

function describeResult(result: AnswerResult): string {
  if (result.kind === 'clarify') return `${escapeUserText(result.answer)}${CLARIFY_HINT}`;
  if (result.kind === 'not-covered') {
    return `${escapeUserText(result.answer)}${NOT_COVERED_HINT}`;
  }
  const quoted = result.citations.filter((c) => c.quote.trim() !== '');
  if (result.basis !== 'passages' || quoted.length === 0) return withShortInBold(result.answer, result.short);
  // One paragraph per quoted passage, so a cut for length falls between quotes, not inside one.
  const quotes = quoted.map((c) => `“${escapeUserText(c.quote)}” — **¶${c.passage}**`);
  // The short answer leads ("**$6.5 billion**"), then the sentence(s) that say it.
  return [...(result.short ? [`**${escapeUserText(result.short)}**`] : []), ...quotes].join('\n\n');
}

/** "The article was written by **Andre Damon**.": the short answer bold where the sentence says it, else leading. */
function withShortInBold(answer: string, short: string | undefined): string {
  if (!short) return escapeUserText(answer);
  const at = answer.indexOf(short);
  if (at < 0) return `**${escapeUserText(short)}** — ${escapeUserText(answer)}`;
  const [before, after] = [answer.slice(0, at), answer.slice(at + short.length)];
  return `${before ? escapeUserText(before) : ''}**${escapeUserText(short)}**${after ? escapeUserText(after) : ''}`;
}

/**
 * What a vote needs to know about an answer, read back from the answer message we rendered —
 * used when the answer is no longer in memory (restart). Scores are not shown, so they are null;
 * a question longer than the title limit comes back cut.
 */
export function recoverAnswerFromEmbed(embed: APIEmbed | undefined): RememberedAnswer | undefined {
  if (!embed?.title) return undefined;
  const sources = parsePassageList(embed.fields?.find((f) => f.name === SOURCES_FIELD)?.value ?? '');
  const shown = embed.description ?? '';
  const description = shown.endsWith(NOT_COVERED_HINT) ? shown.slice(0, -NOT_COVERED_HINT.length) : shown;
  // Undo describeResult's layout: the short answer in bold, then one “quote” — **¶N** paragraph per quoted passage.
  const quotes = new Map<number, string>();
  for (const paragraph of description.split('\n\n')) {
    const quoted = /^“([\s\S]*)” — \*\*¶(\d+)\*\*$/.exec(paragraph);
    if (quoted?.[1] !== undefined && quoted[2]) quotes.set(Number(quoted[2]), unescapeUserText(quoted[1]));
  }
  return {
    question: unescapeUserText(embed.title),
    answer: quotes.size > 0 ? [...quotes.values()].join(' ') : unescapeUserText(withoutBold(description)),
    citations: sources.map((passage) => ({ passage, score: null, quote: quotes.get(passage) ?? '' })),
  };
}

/** Text without the bold markers we added (escaped asterisks from the text itself stay). */
function withoutBold(text: string): string {
  return text.replace(/(?<!\\)\*\*/g, '');
}

/**
 * The supporting passages in full, one embed each (however many, however long: the reply helper
 * continues them in further embeds and messages). Numbers outside the article (a button from
 * before the article changed) are listed as no longer available.
 */
export function renderPassages(article: Article, numbers: readonly number[]): Reply {
  const found = numbers.map((n) => findPassage(article, n)).filter((p): p is Passage => p !== undefined);
  const missing = numbers.filter((n) => !findPassage(article, n));
  if (found.length === 0) {
    throw new UserError(`Those passages are no longer in the article (it has ¶1–¶${article.passages.length}). Ask again for a fresh answer.`);
  }
  const reply: { content?: string; embeds: APIEmbed[] } = { embeds: found.map((p) => passageEmbed(article, p)) };
  if (missing.length > 0) reply.content = `${formatPassageList(missing)} ${missing.length === 1 ? 'is' : 'are'} no longer in the article.`;
  return reply;
}

/** One passage in full, however long. @throws UserError naming the valid range when `n` is not a passage number. */
export function renderPassage(article: Article, n: number): Reply {
  const passage = findPassage(article, n);
  if (!passage) {
    const count = article.passages.length;
    throw new UserError(`There is no ¶${n}: the article's passages are numbered 1–${count}.`);
  }
  return { embeds: [passageEmbed(article, passage)] };
}

function passageEmbed(article: Article, passage: Passage): APIEmbed {
  return {
    color: ACCENT,
    author: { name: articleContext(article) },
    title: `¶${passage.number}`,
    description: escapeUserText(passage.text),
    footer: { text: `Passage ${passage.number} of ${article.passages.length}` },
  };
}

function findPassage(article: Article, n: number): Passage | undefined {
  return article.passages.find((p) => p.number === n);
}

/**
 * Autocomplete choices for `/passage number`: "¶N — first words", at most 25, names of at most
 * 100 characters. Digits match passage numbers by prefix ("1" → ¶1, ¶10 …); words match passages
 * containing every word typed (case-insensitive); nothing typed lists the first passages.
 */
export function passageChoices(article: Article, typed: string): { name: string; value: number }[] {
  const query = typed.trim().toLowerCase();
  const words = query.split(/\s+/).filter(Boolean);
  const matches = article.passages.filter((p) => {
    if (query === '') return true;
    if (/^\d+$/.test(query)) return String(p.number).startsWith(query);
    const text = p.text.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  return matches.slice(0, DISCORD_AUTOCOMPLETE_CHOICES_MAX).map((p) => {
    const prefix = `¶${p.number} — `;
    return { name: prefix + firstWords(p.text, DISCORD_CHOICE_NAME_MAX - prefix.length), value: p.number };
  });
}

/** The lead: the first three sentences of the first passages, within `maxChars`. */
export function leadSummary(article: Article, maxChars = 600): string {
  const sentences = article.passages.flatMap((p) => p.sentences).slice(0, 3);
  let summary = '';
  for (const sentence of sentences) {
    const next = summary ? `${summary} ${sentence}` : sentence;
    if (next.length > maxChars) break;
    summary = next;
  }
  // A first sentence longer than the room is still better cut than absent.
  return summary || truncateText(sentences[0] ?? '', maxChars);
}

/**
 * `/article`: headline, author, date, passage count, the lead, and how to ask. With several
 * articles in the library (`librarySize`), how to ask about this one and its id.
 */
export function renderArticle(article: Article, mode: RetrievalMode, librarySize = 1): Reply {
  const count = article.passages.length;
  const several = librarySize > 1;
  const fields = [
    { name: 'Author', value: escapeUserText(article.author ?? 'not stated'), inline: true },
    { name: 'Date', value: escapeUserText(article.date ?? 'not stated'), inline: true },
    { name: 'Passages', value: count === 0 ? 'none' : `${count} (¶1–¶${count})`, inline: true },
    {
      name: 'Ask',
      value: several
        ? `\`/ask\` with \`article:\` set to this one asks about it alone (without, I pick the best-matching of the ${librarySize} articles); \`/passage\` with \`article:\` shows one of its paragraphs. \`/article\` lists them all.`
        : 'Use `/ask`, mention me with a question, or send me a direct message. `/passage` shows one paragraph.',
    },
  ];
  const embed: APIEmbed = {
    color: ACCENT,
    title: escapeUserText(article.headline),
    description: escapeUserText(leadSummary(article)),
    fields,
  };
  const notes = [...(several ? [`Id: ${article.id}`] : []), ...(mode === 'lexical' ? [LEXICAL_NOTE] : [])];
  if (notes.length > 0) embed.footer = { text: notes.join(' · ') };
  return { embeds: [embed] };
}

export interface HelpView {
  /** The article (with several, the most recent one). */
  readonly article: Article;
  /** How users address the bot, e.g. "<@123>" (renders as a name; pings are off anyway). */
  readonly botMention: string;
  readonly rateLimit: { readonly questions: number; readonly perSeconds: number };
  /** Articles in the library (default 1): with several, help explains how to pick one. */
  readonly librarySize?: number;
}

/** `/help` and "help" in a DM: every way to ask. */
export function renderHelp({ article, botMention, rateLimit, librarySize = 1 }: HelpView): Reply {
  const count = article.passages.length;
  const several = librarySize > 1;
  const intro = several
    ? `I answer questions about ${librarySize} articles (the most recent: **${escapeUserText(article.headline)}**) with their own words, citing their paragraphs (¶).`
    : `I answer questions about **${escapeUserText(article.headline)}** with the article's own words, citing its paragraphs (¶1–¶${count}).`;
  const commands = several
    ? [
        '• `/ask question:…` — an answer quoted from the best-matching article with its ¶ numbers; `article:…` asks one article only (type to search by headline); add `private:True` to see it alone.',
        '• `/passage number:… article:…` — read one paragraph in full (of the most recent article unless you pick one).',
        '• `/article` — the list of articles; `/article name:…` — one article: headline, author, date and lead.',
      ]
    : [
        '• `/ask question:…` — an answer quoted from the article with its ¶ numbers; add `private:True` to see it alone.',
        '• `/passage number:…` — read one paragraph in full.',
        '• `/article` — what the article is about.',
      ];
  const lines = [
    intro,
    '',
    '**Slash commands**',
    ...commands,
    '',
    '**Elsewhere**',
    `• In a channel: mention me with your question, e.g. ${botMention} who is mentioned first?`,
    '• In a direct message: just write your question (send `help` for this message).',
    '• To follow up, reply to one of my answers (no mention needed), or keep asking in the DM or thread: “What did he say?” is read in the light of your last question.',
    '• On any message: right-click (long-press on mobile) → *Apps* → **Find in article**, to look up its text privately.',
    '',
    'Under each answer, **Show passages** shows the supporting paragraphs (only to you), and 👍 / 👎 tell us whether it helped.',
    `You can ask ${rateLimit.questions} question${rateLimit.questions === 1 ? '' : 's'} every ${rateLimit.perSeconds} seconds.`,
  ];
  return { embeds: [{ color: ACCENT, title: 'How to ask', description: lines.join('\n') }] };
}

/** A mention with no question, or a DM without text. */
export function renderAskPrompt(article: Article, botMention: string | undefined): Reply {
  const how = botMention ? `Mention me with a question, e.g. ${botMention} what happened?` : 'Send me a question in words.';
  return { content: `${how} I answer questions about **${escapeUserText(article.headline)}** — or use \`/ask\`, and \`/help\` for more.` };
}
