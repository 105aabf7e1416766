import { ButtonStyle, ComponentType, type APIButtonComponent, type APIEmbed } from 'discord.js';
import { findArticles, type Library } from '../core/library.js';
import type { Article } from '../core/types.js';
import { UserError } from '../errors.js';
import { DISCORD_AUTOCOMPLETE_CHOICES_MAX, DISCORD_CHOICE_NAME_MAX } from '../limits.js';
import { articleRef, encodeLibraryPageId, findArticleByRef } from './custom-ids.js';
import type { Reply } from './respond.js';
import { escapeUserText, truncateText } from './text.js';

/**
 * The library as Discord users see it: an `article` option they fill by typing part of a headline
 * (autocomplete), what they picked or typed turned back into an article, and the list of
 * articles a page at a time.
 */

/** Discord's limit on a string choice's value, and so on what the `article` option accepts. */
export const ARTICLE_OPTION_MAX = 100;
/** Marks a choice value that names an article by its reference, for ids longer than a value may be. */
const REF_VALUE_PREFIX = '#';
/**
 * Articles on one page of `/article`: ten lines of at most ~300 characters (headline cut to 120,
 * author, date, passage count, id) stay well within one embed's 4,096, and ten is what fits a
 * phone screen without scrolling past the buttons.
 */
export const ARTICLES_PER_PAGE = 10;
/** Longest headline in the list; longer ones are cut at a word (the card shows them whole). */
const LIST_HEADLINE_MAX = 120;
const ACCENT = 0x5865f2;

/** What an `article` choice sends back: the id, or `#<ref>` when the id is too long for a value. */
export function articleChoiceValue(article: Article): string {
  return article.id.length <= ARTICLE_OPTION_MAX ? article.id : `${REF_VALUE_PREFIX}${articleRef(article.id)}`;
}

/** "Headline (date)" within the 100 characters of a choice name, the headline cut at a word if need be. */
export function articleChoiceName(article: Article): string {
  const suffix = article.date ? ` (${article.date})` : '';
  return `${truncateText(article.headline, DISCORD_CHOICE_NAME_MAX - suffix.length)}${suffix}`;
}

/**
 * Autocomplete choices for an `article` option: the articles whose id or headline hold every
 * word typed (or the exact id), most recent first, at most 25.
 */
export function articleChoices(library: Library, typed: string): { name: string; value: string }[] {
  return findArticles(library, typed)
    .slice(0, DISCORD_AUTOCOMPLETE_CHOICES_MAX)
    .map((article) => ({ name: articleChoiceName(article), value: articleChoiceValue(article) }));
}

const HOW_TO_PICK = 'Pick one from the list that appears as you type in the `article` option, or see them all with `/article`.';
/** Articles named in a refusal when what was typed matches several. */
const AMBIGUOUS_LISTED = 5;

/**
 * The article an `article` option names: a choice's value (an id or `#<ref>`), or text typed
 * without picking a choice when it matches exactly one article.
 * @throws UserError naming how to pick when it matches no article, or several.
 */
export function resolveArticle(library: Library, value: string): Article {
  const typed = value.trim();
  const exact = library.get(typed);
  if (exact) return exact;
  if (typed.startsWith(REF_VALUE_PREFIX)) {
    const byRef = findArticleByRef(library, typed.slice(REF_VALUE_PREFIX.length));
    if (byRef) return byRef;
  }
  const shown = escapeUserText(truncateText(typed.replace(/\s+/g, ' '), ARTICLE_OPTION_MAX));
  if (typed === '') throw new UserError(`Name an article. ${HOW_TO_PICK}`);
  const matches = findArticles(library, typed);
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new UserError(`There is no article matching “${shown}”. ${HOW_TO_PICK}`);
  const listed = matches.slice(0, AMBIGUOUS_LISTED).map((a) => `“${escapeUserText(articleChoiceName(a))}”`);
  const more = matches.length > AMBIGUOUS_LISTED ? ` and ${matches.length - AMBIGUOUS_LISTED} more` : '';
  throw new UserError(`“${shown}” matches ${matches.length} articles: ${listed.join(', ')}${more}. ${HOW_TO_PICK}`);
}

/** The article an option names, or `fallback` when it is empty or names none (for autocomplete, which must not fail). */
export function articleOrDefault(library: Library, value: string | null | undefined, fallback: Article = library.latest): Article {
  if (!value?.trim()) return fallback;
  try {
    return resolveArticle(library, value);
  } catch {
    return fallback;
  }
}

/** How many pages the list of articles has. */
export function libraryPageCount(library: Library): number {
  return Math.max(1, Math.ceil(library.size / ARTICLES_PER_PAGE));
}

/**
 * One page (1-based) of the list of articles, most recent first: headline, author, date, passage
 * count and id, with ◀ / ▶ buttons when there are several pages.
 * @throws UserError naming the number of pages when `page` is past the last.
 */
export function renderLibraryPage(library: Library, page: number): Reply {
  const pages = libraryPageCount(library);
  if (page > pages) {
    throw new UserError(`There ${pages === 1 ? 'is only 1 page' : `are only ${pages} pages`} of articles (${library.size} article${library.size === 1 ? '' : 's'}).`);
  }
  const first = (page - 1) * ARTICLES_PER_PAGE;
  const lines = library.articles.slice(first, first + ARTICLES_PER_PAGE).map((article, i) => {
    const details = [article.author, article.date, `${article.passages.length} passages`].filter((d): d is string => Boolean(d));
    return `**${first + i + 1}.** ${escapeUserText(truncateText(article.headline, LIST_HEADLINE_MAX))}\n${escapeUserText(details.join(' · '))} · \`${article.id.replaceAll('`', "'")}\``;
  });
  const embed: APIEmbed = {
    color: ACCENT,
    title: `${library.size} article${library.size === 1 ? '' : 's'}`,
    description: lines.join('\n\n'),
    footer: { text: `${pages > 1 ? `Page ${page} of ${pages} · ` : ''}/article name: shows one · /ask article: asks one` },
  };
  if (pages === 1) return { embeds: [embed] };
  // The button for the page shown is disabled; ids stay distinct (Discord requires it).
  const buttons: APIButtonComponent[] = [
    { type: ComponentType.Button, style: ButtonStyle.Secondary, label: '◀ Newer', custom_id: encodeLibraryPageId(Math.max(1, page - 1)), disabled: page === 1 },
    { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Older ▶', custom_id: encodeLibraryPageId(Math.min(pages, page + 1)), disabled: page === pages },
  ];
  return { embeds: [embed], components: [{ type: ComponentType.ActionRow, components: buttons }] };
}

export interface AddedView {
  readonly article: Article;
  /** Where it was read from: the address after redirects. */
  readonly source: string;
  /** What the person adding it should know (e.g. a byline that could not be kept). */
  readonly notes: readonly string[];
  /** Articles in the library now. */
  readonly librarySize: number;
}

/** `/add-article`'s answer: what was added (id, headline, author, date, passages, source) and how to ask about it. */
export function renderAddedArticle({ article, source, notes, librarySize }: AddedView): Reply {
  const count = article.passages.length;
  const fields = [
    { name: 'Id', value: `\`${article.id.replaceAll('`', "'")}\``, inline: false },
    { name: 'Author', value: escapeUserText(article.author ?? 'not found'), inline: true },
    { name: 'Date', value: escapeUserText(article.date ?? 'not found'), inline: true },
    { name: 'Passages', value: count === 0 ? 'none' : `${count} (¶1–¶${count})`, inline: true },
    { name: 'Source', value: escapeUserText(truncateText(source, 1000)), inline: false },
    ...(notes.length > 0 ? [{ name: 'Notes', value: escapeUserText(truncateText(notes.join('\n'), 1000)), inline: false }] : []),
  ];
  const embed: APIEmbed = {
    color: ACCENT,
    author: { name: 'Added to the library' },
    title: escapeUserText(article.headline),
    description: `The library now has ${librarySize} article${librarySize === 1 ? '' : 's'}. Ask about this one with \`/ask\` and its headline in \`article:\`; \`/article\` shows its card.`,
    fields,
  };
  return { embeds: [embed] };
}
