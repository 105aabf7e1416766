/** Limits named once, used everywhere. */

/** Longest question the bot accepts; longer ones get a refusal that states this limit. */
export const MAX_QUESTION_CHARS = 1000;

/** Discord's own limits (https://discord.com/developers/docs/resources/message). */
export const DISCORD_MESSAGE_MAX = 2000;
export const DISCORD_EMBED_DESCRIPTION_MAX = 4096;
export const DISCORD_EMBED_FIELD_VALUE_MAX = 1024;
export const DISCORD_EMBED_FIELDS_MAX = 25;
export const DISCORD_EMBED_TITLE_MAX = 256;
export const DISCORD_EMBED_FOOTER_MAX = 2048;
export const DISCORD_EMBED_TOTAL_MAX = 6000;
export const DISCORD_AUTOCOMPLETE_CHOICES_MAX = 25;
export const DISCORD_CHOICE_NAME_MAX = 100;
/** Discord voids an interaction that is not acknowledged within this time (error 10062). */
export const DISCORD_INTERACTION_DEADLINE_MS = 3000;
