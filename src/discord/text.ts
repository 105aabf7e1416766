import { escapeMarkdown, type APIEmbed } from 'discord.js';
import {
  DISCORD_EMBED_DESCRIPTION_MAX,
  DISCORD_EMBED_FIELD_VALUE_MAX,
  DISCORD_EMBED_FIELDS_MAX,
  DISCORD_EMBED_FOOTER_MAX,
  DISCORD_EMBED_TITLE_MAX,
  DISCORD_EMBED_TOTAL_MAX,
} from '../limits.js';

/**
 * Pure text helpers for everything the bot sends: escaping text that came from users (or the
 * article) so it renders literally and can never form a mention, and cutting short labels (titles,
 * thread names, autocomplete choices) to Discord's limits at a sentence boundary with an ellipsis.
 * Texts users read in full — passages and answers — are never cut: `layout.ts` splits them.
 */

const ELLIPSIS = '…';
/** Invisible, but not white space: breaks mention syntax, and names a field that has no name of its own. */
export const ZERO_WIDTH_SPACE = '\u200B';

/** Discord allows at most 10 embeds in one message. */
export const DISCORD_EMBEDS_PER_MESSAGE_MAX = 10;
/** Thread names are limited to 100 characters. */
export const DISCORD_THREAD_NAME_MAX = 100;
/** Author names of embeds share the title limit. */
const DISCORD_EMBED_AUTHOR_NAME_MAX = 256;
const DISCORD_EMBED_FIELD_NAME_MAX = 256;

/**
 * Makes text safe to echo back: markdown renders literally, and `@everyone`, `@here`, user, role,
 * channel and slash-command mention syntax is broken with a zero-width space. `allowedMentions`
 * already stops pings; this also stops a mention from *rendering* (a blue role pill in an answer
 * reads like the bot endorsing it).
 */
export function escapeUserText(text: string): string {
  const escaped = escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true })
    // escapeMarkdown leaves block quotes and subtext alone; both change how a line renders.
    .replace(/^(\s*)>/gm, '$1\\>')
    .replace(/^(\s*)-#/gm, '$1\\-#');
  return neutraliseMentions(escaped);
}

/** Breaks mention syntax without changing how the text reads. */
export function neutraliseMentions(text: string): string {
  return text
    .replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`)
    .replace(/<(@[!&]?|#|\/)/g, `<$1${ZERO_WIDTH_SPACE}`);
}

/**
 * Reverses `escapeUserText` well enough to recover what a user typed from an embed we rendered
 * (feedback after a restart). Lossy for text that itself contained backslashes before punctuation.
 */
export function unescapeUserText(text: string): string {
  return text.replaceAll(ZERO_WIDTH_SPACE, '').replace(/\\([\\*_~`|>#\-[\]()<:.])/g, '$1');
}

/**
 * Cuts `text` to at most `max` characters. Prefers the end of the last whole sentence (or line)
 * that keeps at least half of the room, then the last word boundary, then a hard cut; a cut is
 * always marked with an ellipsis. Never splits a surrogate pair. Text that fits is returned as is.
 */
export function truncateText(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, max);
  const floor = Math.floor(max / 2);

  // A sentence cut reads "… last sentence. …", so it needs room for " …".
  const sentenceEnd = lastSentenceEnd(text, max - ELLIPSIS.length - 1);
  if (sentenceEnd >= floor) return `${text.slice(0, sentenceEnd)} ${ELLIPSIS}`;

  const budget = max - ELLIPSIS.length;
  const head = safeSlice(text, budget);
  // When the cut falls on white space, the head already ends with a whole word.
  const wordEnd = /\s/.test(text.charAt(head.length)) ? head.trimEnd().length : head.search(/\s+\S*$/);
  if (wordEnd >= floor) return `${stripTrailingPunctuation(head.slice(0, wordEnd))}${ELLIPSIS}`;
  return `${head}${ELLIPSIS}`;
}

/**
 * Index just past the last sentence end (terminal punctuation plus closing quotes/brackets, followed
 * by white space and something that can start a sentence) or line end at or before `limit`; -1 if none.
 * Requiring an upper-case letter, digit or opening quote after the space keeps "U.S. officials" whole.
 */
function lastSentenceEnd(text: string, limit: number): number {
  const boundary = /[.!?…]["'”’)\]]*(?=\s+(?:[\p{Lu}\p{N}"“'‘(\[*>]|$))|[^\S\n]*\n/gu;
  let best = -1;
  for (const match of text.matchAll(boundary)) {
    const end = match[0].endsWith('\n') ? match.index : match.index + match[0].length;
    if (end > limit) break;
    best = text.slice(0, end).trimEnd().length;
  }
  return best;
}

function safeSlice(text: string, end: number): string {
  const code = text.charCodeAt(end - 1);
  // A high surrogate at the cut would leave half a character (an emoji turned into "�").
  return code >= 0xd800 && code <= 0xdbff ? text.slice(0, end - 1) : text.slice(0, end);
}

function stripTrailingPunctuation(text: string): string {
  return text.replace(/[\s,;:\-–—(\[]+$/u, '');
}

/**
 * Fits embeds into Discord's limits: at most 10 embeds; per embed title 256, description 4096,
 * author name 256, footer 2048, at most 25 fields with names of 256 and values of 1024; and 6000
 * characters across all embeds of one message (title, description, field names and values,
 * footer, author name). When over the total, descriptions are shortened in proportion to their
 * length (so every passage in a multi-passage answer keeps some text), then trailing fields dropped.
 * Empty strings are removed (Discord rejects them).
 */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const fitted = embeds.slice(0, DISCORD_EMBEDS_PER_MESSAGE_MAX).map(fitEmbedParts);
  const over = () => totalLength(fitted) - DISCORD_EMBED_TOTAL_MAX;
  if (over() <= 0) return fitted;

  const descriptions = fitted.reduce((sum, e) => sum + (e.description?.length ?? 0), 0);
  const room = Math.max(0, descriptions - over());
  for (const embed of fitted) {
    if (!embed.description) continue;
    // Floor keeps the sum within room; each description keeps its share.
    const share = Math.floor((embed.description.length / descriptions) * room);
    const shortened = truncateText(embed.description, share);
    if (shortened) embed.description = shortened;
    else delete embed.description;
  }
  for (let i = fitted.length - 1; i >= 0 && over() > 0; i--) {
    const fields = fitted[i]?.fields;
    while (fields && fields.length > 0 && over() > 0) fields.pop();
  }
  return fitted;
}

/** A single embed within every limit, including the 6000-character total. */
export function fitEmbed(embed: APIEmbed): APIEmbed {
  const [fitted] = fitEmbeds([embed]);
  return fitted ?? {};
}

function fitEmbedParts(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed };
  setOrDelete(out, 'title', embed.title, DISCORD_EMBED_TITLE_MAX);
  setOrDelete(out, 'description', embed.description, DISCORD_EMBED_DESCRIPTION_MAX);
  if (embed.author) {
    const name = truncateText(embed.author.name, DISCORD_EMBED_AUTHOR_NAME_MAX);
    if (name) out.author = { ...embed.author, name };
    else delete out.author;
  }
  if (embed.footer) {
    const text = truncateText(embed.footer.text, DISCORD_EMBED_FOOTER_MAX);
    if (text) out.footer = { ...embed.footer, text };
    else delete out.footer;
  }
  if (embed.fields) {
    out.fields = embed.fields.slice(0, DISCORD_EMBED_FIELDS_MAX).map((field) => ({
      ...field,
      name: truncateText(field.name, DISCORD_EMBED_FIELD_NAME_MAX) || ZERO_WIDTH_SPACE,
      value: truncateText(field.value, DISCORD_EMBED_FIELD_VALUE_MAX) || ZERO_WIDTH_SPACE,
    }));
  }
  return out;
}

function setOrDelete(embed: APIEmbed, key: 'title' | 'description', value: string | undefined, max: number): void {
  const text = value === undefined ? '' : truncateText(value, max);
  if (text) embed[key] = text;
  else delete embed[key];
}

/** The characters Discord counts towards the 6000-character total of a message's embeds. */
export function totalLength(embeds: readonly APIEmbed[]): number {
  let sum = 0;
  for (const e of embeds) {
    sum += (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
    for (const f of e.fields ?? []) sum += f.name.length + f.value.length;
  }
  return sum;
}

/** A thread name (≤ 100 characters, one line) from a question; "Question" if nothing is left. */
export function threadNameFrom(question: string): string {
  const oneLine = question.replace(/\s+/g, ' ').trim();
  return truncateText(oneLine, DISCORD_THREAD_NAME_MAX) || 'Question';
}

/** True when `content` mentions the user `userId` explicitly (`<@id>` or `<@!id>`). */
export function mentionsUser(content: string, userId: string): boolean {
  return new RegExp(`<@!?${userId}>`).test(content);
}

/** Removes every explicit mention of `userId` and folds the white space left behind. */
export function stripMentionsOf(content: string, userId: string): string {
  return content.replace(new RegExp(`<@!?${userId}>`, 'g'), ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The text without Discord's markup for mentions, channels, slash commands and custom emoji
 * (`<@123>`, `<@&456>`, `<#789>`, `</ask:1>`, `<:name:1>`): addressing someone is not part of a
 * question, and the long ids would otherwise be read as numbers the article never mentions.
 */
export function withoutMentionMarkup(content: string): string {
  return content.replace(/<(?:@[!&]?|#)\d+>|<\/[\w -]+:\d+>|<a?:\w+:\d+>/g, ' ').replace(/\s+/g, ' ').trim();
}

/** "¶12, ¶14, ¶3" */
export function formatPassageList(numbers: readonly number[]): string {
  return numbers.map((n) => `¶${n}`).join(', ');
}

/** Passage numbers listed as "¶12, ¶14" in text we rendered (the inverse of `formatPassageList`). */
export function parsePassageList(text: string): number[] {
  return [...text.matchAll(/¶(\d+)/g)].map((m) => Number(m[1]));
}

/** The first words of `text`, cut at a word boundary so the result fits in `max` characters. */
export function firstWords(text: string, max: number): string {
  return truncateText(text.replace(/\s+/g, ' ').trim(), max);
}
