import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { RegisterError, registerCommands } from '../../src/discord/register.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';
import { runCli } from '../support/run-cli.js';
import { memoryLogger, tempDir, testConfig, testModelEnv } from '../support/service.js';

/**
 * `npm run register` against the fake Discord: where the commands go (guild or global), how the
 * application id is found, and what the operator reads.
 */

const ALL_COMMANDS = ['ask', 'passage', 'article', 'add-article', 'help', 'Find in article'];

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(): Promise<FakeDiscord> {
  fake = await startFakeDiscord();
  return fake;
}

it('registers every command to DISCORD_GUILD_ID, reading the application id from the API', async () => {
  const discord = await start();
  const logger = memoryLogger();
  const config = await testConfig({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, DISCORD_GUILD_ID: discord.guild.id });
  const result = await registerCommands({ config, logger });

  expect(result).toEqual({ applicationId: discord.application.id, guildId: discord.guild.id, names: ALL_COMMANDS });
  expect(discord.commands.guild.map((c) => c.name)).toEqual(ALL_COMMANDS);
  expect(discord.commands.global).toEqual([]);
  // No DISCORD_CLIENT_ID: the id came from the token's application.
  expect(discord.requests.filter((r) => r.method === 'GET' && r.path === '/applications/@me')).toHaveLength(1);
  expect(logger.lines.join('\n').replaceAll(discord.guild.id, 'GUILD')).toContain(
    'Registered 6 commands to guild GUILD (available now): ask, passage, article, add-article, help, Find in article',
  );

  // What users see in Discord's command picker.
  const shown = discord.commands.guild.map((c) => ({
    name: c.name,
    type: c.type,
    description: c.description,
    // Where it can be used: installed to a server (0) or a user's account (1); in servers (0), bot DMs (1), group DMs (2).
    integration_types: c.integration_types,
    contexts: c.contexts,
    // Who sees it by default: members with these permissions (null: everyone).
    default_member_permissions: c.default_member_permissions,
    ...(c.options
      ? {
          options: c.options.map((o) => ({
            name: o.name,
            type: o.type,
            required: o.required ?? false,
            ...('autocomplete' in o && o.autocomplete ? { autocomplete: true } : {}),
            ...('min_value' in o ? { min_value: o.min_value } : {}),
            ...('max_length' in o ? { max_length: o.max_length } : {}),
          })),
        }
      : {}),
  }));
  expect(shown).toMatchInlineSnapshot(`
    [
      {
        "contexts": [
          0,
          1,
          2,
        ],
        "default_member_permissions": null,
        "description": "Ask a question about the article; the answer quotes it and cites its paragraphs.",
        "integration_types": [
          0,
          1,
        ],
        "name": "ask",
        "options": [
          {
            "max_length": 1000,
            "name": "question",
            "required": true,
            "type": 3,
          },
          {
            "name": "private",
            "required": false,
            "type": 5,
          },
          {
            "autocomplete": true,
            "max_length": 100,
            "name": "article",
            "required": false,
            "type": 3,
          },
        ],
        "type": 1,
      },
      {
        "contexts": [
          0,
          1,
          2,
        ],
        "default_member_permissions": null,
        "description": "Show one paragraph of an article in full.",
        "integration_types": [
          0,
          1,
        ],
        "name": "passage",
        "options": [
          {
            "autocomplete": true,
            "min_value": 1,
            "name": "number",
            "required": true,
            "type": 4,
          },
          {
            "autocomplete": true,
            "max_length": 100,
            "name": "article",
            "required": false,
            "type": 3,
          },
        ],
        "type": 1,
      },
      {
        "contexts": [
          0,
          1,
          2,
        ],
        "default_member_permissions": null,
        "description": "The articles I answer about: the list, or one article (headline, author, date, summary).",
        "integration_types": [
          0,
          1,
        ],
        "name": "article",
        "options": [
          {
            "autocomplete": true,
            "max_length": 100,
            "name": "name",
            "required": false,
            "type": 3,
          },
          {
            "min_value": 1,
            "name": "page",
            "required": false,
            "type": 4,
          },
        ],
        "type": 1,
      },
      {
        "contexts": [
          0,
        ],
        "default_member_permissions": "32",
        "description": "Add an article to the library from its web address (server managers only).",
        "integration_types": [
          0,
        ],
        "name": "add-article",
        "options": [
          {
            "max_length": 2048,
            "name": "url",
            "required": true,
            "type": 3,
          },
        ],
        "type": 1,
      },
      {
        "contexts": [
          0,
          1,
          2,
        ],
        "default_member_permissions": null,
        "description": "How to ask the bot about the article.",
        "integration_types": [
          0,
          1,
        ],
        "name": "help",
        "type": 1,
      },
      {
        "contexts": [
          0,
          1,
          2,
        ],
        "default_member_permissions": null,
        "description": "",
        "integration_types": [
          0,
          1,
        ],
        "name": "Find in article",
        "type": 3,
      },
    ]
  `);
});

it('registers globally without DISCORD_GUILD_ID, and says it may take up to an hour', async () => {
  const discord = await start();
  const logger = memoryLogger();
  const config = await testConfig({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl });
  const result = await registerCommands({ config, logger });

  expect(result.guildId).toBeUndefined();
  expect(discord.commands.global.map((c) => c.name)).toEqual(ALL_COMMANDS);
  expect(discord.commands.guild).toEqual([]);
  expect(logger.lines.join('\n')).toContain('Registered 6 commands globally (may take up to an hour to appear): ask, passage, article, add-article, help, Find in article');
});

it('uses DISCORD_CLIENT_ID when set, without asking the API', async () => {
  const discord = await start();
  const config = await testConfig({
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_GUILD_ID: discord.guild.id,
    DISCORD_CLIENT_ID: discord.application.id,
  });
  await registerCommands({ config, logger: memoryLogger() });

  expect(discord.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /applications/${discord.application.id}/guilds/${discord.guild.id}/commands`]);
  expect(discord.commands.guild.map((c) => c.name)).toEqual(ALL_COMMANDS);
});

it('refuses a wrong token with one actionable line that does not contain it', async () => {
  const discord = await start();
  const wrong = 'ODk2.not-the-right-token.abcdef';
  const config = await testConfig({ DISCORD_TOKEN: wrong, DISCORD_API_URL: discord.apiUrl, DISCORD_GUILD_ID: discord.guild.id });
  const error = await registerCommands({ config, logger: memoryLogger() }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RegisterError);
  expect((error as Error).message).toMatchInlineSnapshot(`"Discord rejected DISCORD_TOKEN (401 Unauthorized). Copy a fresh token from the Developer Portal (Bot → Reset Token) into .env."`);
  expect((error as Error).message).not.toContain(wrong);
  expect(discord.commands.guild).toEqual([]);
});

it('`npm run register` (the real CLI) registers to the guild and reports it in one line', async () => {
  const discord = await start();
  const dir = await tempDir();
  const run = await runCli('dist/cli/register.js', [], {
    env: {
      ...(await testModelEnv()),
      EMBEDDINGS_DIR: path.join(dir, 'embeddings'),
      MODEL_CACHE_DIR: path.join(dir, 'models'),
      FEEDBACK_PATH: path.join(dir, 'feedback.jsonl'),
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: discord.guild.id,
    },
  });

  expect(run.code).toBe(0);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]?.replace(/^\S+ /, '').replaceAll(discord.guild.id, 'GUILD').replaceAll(discord.application.id, 'APP')).toMatchInlineSnapshot(`"INFO  Registered 6 commands to guild GUILD (available now): ask, passage, article, add-article, help, Find in article applicationId=APP"`);
  expect(run.stderr).not.toContain(discord.token);
  expect(discord.commands.guild.map((c) => c.name)).toEqual(ALL_COMMANDS);
});
