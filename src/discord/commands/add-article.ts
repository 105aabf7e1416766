import { rm } from 'node:fs/promises';
import {
  ApplicationIntegrationType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  roleMention,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { parseArticle } from '../../core/article.js';
import { UserError } from '../../errors.js';
import type { BotContext } from '../context.js';
import { renderAddedArticle } from '../library-view.js';
import { replyToInteraction } from '../respond.js';
import { escapeUserText } from '../text.js';
import type { Command } from './command.js';

/**
 * `/add-article url` — a server manager adds an article to the library from its web address; the
 * running bot answers from it at once. Off unless ALLOW_ADD_ARTICLE=true.
 *
 * A command of its own rather than `/article add`: Discord lets a command have subcommands or
 * options, not both (bare `/article` and `/article name:` would be lost), and the permission that
 * hides a command from ordinary members (`default_member_permissions`) belongs to a whole command.
 * It is registered whatever the setting — only managers see it — and answers that it is off when
 * it is, so turning it on needs no new `npm run register`.
 */

/**
 * Longest address accepted: 2,048 characters is the practical limit of browsers, servers and CDNs
 * (article addresses are rarely over 200); the option itself could hold 6,000.
 */
const URL_MAX = 2048;

const data = new SlashCommandBuilder()
  .setName('add-article')
  .setDescription('Add an article to the library from its web address (server managers only).')
  // Hidden from members without Manage Server unless a server's admins allow more in
  // Server Settings → Integrations; the handler checks again (and allows ADMIN_ROLE).
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  // A server's permission decides who may add: not in DMs, not through a user's own install.
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .setContexts(InteractionContextType.Guild)
  .addStringOption((option) => option.setName('url').setDescription("The article's web address (https://…)").setRequired(true).setMaxLength(URL_MAX));

export default {
  kind: 'slash',
  data,
  async execute(interaction, ctx) {
    const adding = ctx.articleAdding;
    // Every refusal comes before anything is fetched, as an immediate private answer.
    if (!adding.enabled) {
      throw new UserError('Adding articles is turned off on this bot. Whoever runs it can turn it on with the setting ALLOW_ADD_ARTICLE=true.');
    }
    if (!interaction.inGuild()) throw new UserError('Articles are added from a server, by its managers.');
    if (!mayAddArticles(interaction, adding.adminRole)) {
      const who = adding.adminRole ? `members with the Manage Server permission or the ${roleMention(adding.adminRole)} role` : 'members with the Manage Server permission';
      throw new UserError(`Only ${who} can add articles.`);
    }
    if (adding.singleArticle) {
      throw new UserError('This bot answers about one article (the setting ARTICLE_PATH is set), so an added article would be gone after a restart. Whoever runs it can unset ARTICLE_PATH to answer from the whole ARTICLES_DIR library.');
    }
    const url = checkedUrl(interaction.options.getString('url', true));
    const release = adding.lock.tryEnter();
    if (!release) throw new UserError('Another article is being added right now; try again in a moment.');
    try {
      // Fetching, parsing and embedding take seconds: acknowledge first, privately.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await addFromUrl(interaction, ctx, url);
    } finally {
      release();
    }
  },
} satisfies Command;

/** Manage Server (or Administrator), or the ADMIN_ROLE role. */
function mayAddArticles(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, adminRole: string | undefined): boolean {
  if (interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) return true;
  if (!adminRole) return false;
  const roles = interaction.member.roles;
  return Array.isArray(roles) ? roles.includes(adminRole) : roles.cache.has(adminRole);
}

/**
 * The address as given, when it is an http(s) address. Anything else is refused here: the
 * ingestion module also reads local files, which no Discord user may make the bot do.
 */
function checkedUrl(given: string): string {
  const url = given.trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new UserError('Give the web address of the article, starting with https:// (or http://).');
  }
  return parsed.href;
}

async function addFromUrl(interaction: ChatInputCommandInteraction, ctx: BotContext, url: string): Promise<void> {
  const adding = ctx.articleAdding;
  // Loaded on first use: jsdom and Readability cost about half a second and 60 MB, which a bot
  // that never adds an article should not pay.
  const { ingestArticle, saveArticleFile, IngestRefusal } = await import('../../ingest/index.js');
  let ingested;
  try {
    ingested = await ingestArticle(url, { ...adding.fetch, publicAddressesOnly: !adding.allowPrivateAddresses });
  } catch (error) {
    // The refusal as it is, escaped: an address's underscores would otherwise turn into italics.
    if (error instanceof IngestRefusal) throw new UserError(escapeUserText(`Not added: ${error.message}`), { cause: error });
    throw error;
  }
  const existing = ctx.service.library.get(ingested.id);
  if (existing) throw new UserError(`That article is already in the library, as ${escapeUserText(ingested.id)} (“${escapeUserText(existing.headline)}”).`);
  let file: string;
  try {
    file = await saveArticleFile(adding.articlesDir, ingested.id, ingested.markdown, false);
  } catch (error) {
    // Written by someone else since the bot started (npm run add-article): it is loaded at the next start.
    if (error instanceof IngestRefusal && error.reason === 'exists') {
      throw new UserError(`An article with the id ${escapeUserText(ingested.id)} is already in the articles folder, though not yet in the running library: it is loaded at the next restart.`);
    }
    throw error;
  }
  // Read exactly as the next start will read the file, under the id its file name gives.
  const article = parseArticle(ingested.markdown, ingested.id);
  try {
    await ctx.service.addArticle(article);
  } catch (error) {
    // Never leave a file the running bot does not answer from: the next add would call it a duplicate.
    await rm(file, { force: true });
    throw error;
  }
  ctx.logger.info('Article added from Discord', { id: article.id, passages: article.passages.length, source: ingested.source, userId: interaction.user.id, guildId: interaction.guildId });
  await replyToInteraction(interaction, renderAddedArticle({ article, source: ingested.source, notes: ingested.notes, librarySize: ctx.service.library.size }), { ephemeral: true });
}
