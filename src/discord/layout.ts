import type { APIEmbed, APIEmbedField } from 'discord.js';
import { DISCORD_EMBED_DESCRIPTION_MAX, DISCORD_EMBED_FIELD_VALUE_MAX, DISCORD_EMBED_FIELDS_MAX, DISCORD_EMBED_TITLE_MAX, DISCORD_EMBED_TOTAL_MAX, DISCORD_MESSAGE_MAX } from '../limits.js';
import type { Reply } from './respond.js';
import { splitText, TextFlow } from './split.js';
import { DISCORD_EMBEDS_PER_MESSAGE_MAX, fitEmbed, totalLength, ZERO_WIDTH_SPACE } from './text.js';

/**
 * Lays a reply out as one or more messages within Discord's limits, showing every character of its
 * content and embed descriptions: content longer than 2,000 characters continues in the next
 * message; a description longer than an embed allows continues in fields of the same embed (up to
 * the 6,000 characters a message's embeds may hold), then in further embeds, then in further
 * messages (at most 10 embeds each). Cuts fall at sentence ends (see `split.ts`).
 *
 * - An embed's title, author, colour and own fields (e.g. "Sources") stay on its first card;
 *   cards that continue it carry its colour and "<title> (continued)". Its footer goes on its
 *   last card, where its text ends.
 * - Content comes first; the embeds start in the message with the last part of the content.
 * - Components (buttons) go on the first message, next to the beginning of what they act on.
 * - Titles, author names, footers and own fields are not flowed; they are still cut to their
 *   limits as a safety net (renderers keep them short).
 */

const CONTINUED = ' (continued)';

interface Draft {
  content?: string;
  readonly embeds: APIEmbed[];
}

/**
 * The messages to send for `reply`, in order; always at least one. Each is within every limit
 * Discord checks (content 2,000; 10 embeds; description 4,096; 25 fields of 1,024; title 256;
 * 6,000 across a message's embeds).
 * @throws Error when an embed's title, author, footer and own fields leave no room for its text
 *   (renderers never build such an embed).
 */
export function layoutReply(reply: Reply): Reply[] {
  const drafts: Draft[] = [];
  if (reply.content !== undefined) {
    for (const part of splitText(reply.content, DISCORD_MESSAGE_MAX)) drafts.push({ content: part, embeds: [] });
  }
  if (drafts.length === 0) drafts.push(reply.content !== undefined ? { content: reply.content, embeds: [] } : { embeds: [] });
  for (const embed of reply.embeds ?? []) placeEmbed(embed, drafts);

  return drafts.map((draft, i) => {
    const message: { -readonly [K in keyof Reply]: Reply[K] } = {};
    if (draft.content !== undefined) message.content = draft.content;
    // An explicit (even empty) list on the first message keeps its meaning for edits: replace the embeds.
    if (draft.embeds.length > 0 || (i === 0 && reply.embeds !== undefined)) message.embeds = draft.embeds;
    if (i === 0 && reply.components !== undefined) message.components = reply.components;
    return message;
  });
}

/** Adds `embed` as one or more cards at the end of `drafts`, opening new messages as needed. */
function placeEmbed(embed: APIEmbed, drafts: Draft[]): void {
  const { description = '', footer, ...rest } = embed;
  // The head, footer included, within the limits; the footer's room is kept on every card.
  const fitted = fitEmbed({ ...rest, ...(footer ? { footer } : {}) });
  const { footer: fittedFooter, ...head } = fitted;
  const footerCost = fittedFooter?.text.length ?? 0;
  const flow = new TextFlow(description);
  const cards: APIEmbed[] = [];
  do {
    const frame = cards.length === 0 ? head : continuationOf(head);
    let draft = drafts.at(-1)!;
    let card = fillCard(flow, frame, draft, footerCost);
    if (!card) {
      draft = { embeds: [] };
      drafts.push(draft);
      card = fillCard(flow, frame, draft, footerCost);
      if (!card) throw new Error(`An embed titled ${JSON.stringify(head.title ?? '')} leaves no room for its text.`);
    }
    draft.embeds.push(card);
    cards.push(card);
  } while (!flow.done);
  if (fittedFooter) cards.at(-1)!.footer = fittedFooter;
}

/**
 * One card of `frame` with as much of the flow as fits in `draft`: a description, then fields.
 * Undefined when the card cannot start there (the message is full, or has no room for the next
 * sentence whole — a fresh message may break a sentence too long for any card).
 */
function fillCard(flow: TextFlow, frame: APIEmbed, draft: Draft, footerCost: number): APIEmbed | undefined {
  if (draft.embeds.length >= DISCORD_EMBEDS_PER_MESSAGE_MAX) return undefined;
  const room = DISCORD_EMBED_TOTAL_MAX - totalLength(draft.embeds) - totalLength([frame]) - footerCost;
  if (room < 0) return undefined;
  const card: APIEmbed = { ...frame };
  if (flow.done) return card;

  const fresh = draft.embeds.length === 0;
  // Only a fresh message offers a sentence the most room it can get: elsewhere it waits for one.
  // Below 2 characters not even a surrogate pair fits; such a frame is reported by the caller.
  const description = fresh && room < 2 ? '' : flow.take(Math.min(DISCORD_EMBED_DESCRIPTION_MAX, room), fresh);
  if (description === '') return undefined;
  card.description = description;

  const own = frame.fields ?? [];
  const continued: APIEmbedField[] = [];
  let used = description.length;
  while (!flow.done && own.length + continued.length < DISCORD_EMBED_FIELDS_MAX) {
    const fieldRoom = Math.min(DISCORD_EMBED_FIELD_VALUE_MAX, room - used - ZERO_WIDTH_SPACE.length);
    // A sentence too long for a field waits for the next card's description.
    const value = fieldRoom > 0 ? flow.take(fieldRoom, false) : '';
    if (value === '') break;
    continued.push({ name: ZERO_WIDTH_SPACE, value });
    used += ZERO_WIDTH_SPACE.length + value.length;
  }
  if (continued.length > 0) card.fields = [...continued, ...own];
  return card;
}

/** A card continuing `head`: its colour and its title marked as continued. */
function continuationOf(head: APIEmbed): APIEmbed {
  const card: APIEmbed = {};
  if (head.color !== undefined) card.color = head.color;
  if (head.title) card.title = head.title.length + CONTINUED.length <= DISCORD_EMBED_TITLE_MAX ? `${head.title}${CONTINUED}` : CONTINUED.trim();
  return card;
}
