import { readFileSync } from 'node:fs';
import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, DEFAULT_MODEL } from '../src/config.js';

describe('parseConfig', () => {
  it('accepts .env.example as shipped and gives the documented defaults', () => {
    const env = dotenv.parse(readFileSync(new URL('../.env.example', import.meta.url)));
    const config = parseConfig(env, '/srv/bot');
    expect(config.articlePath).toBeUndefined();
    expect(config.embedding).toMatchObject({ model: DEFAULT_MODEL, dtype: undefined, pooling: undefined, queryPrefix: undefined });
    expect(config.discord).toMatchObject({ token: undefined, autoThread: false, rateLimit: { questions: 5, perSeconds: 30 } });
    expect(Object.isFrozen(config.discord)).toBe(true);
    expect(config.articlesDir).toBe('/srv/bot/articles');
    expect(config.fetch).toEqual({ timeoutMs: 20_000, maxBytes: 5 * 1024 * 1024 });
  });

  it('reads the fetch limits for adding articles, and refuses nonsense', () => {
    expect(parseConfig({ FETCH_TIMEOUT_SECONDS: '2.5', FETCH_MAX_MB: '0.5', ARTICLES_DIR: 'library' }, '/srv/bot')).toMatchObject({
      articlesDir: '/srv/bot/library',
      fetch: { timeoutMs: 2500, maxBytes: 512 * 1024 },
    });
    expect(() => parseConfig({ FETCH_TIMEOUT_SECONDS: 'soon', FETCH_MAX_MB: '-1' })).toThrow(/FETCH_TIMEOUT_SECONDS: [\s\S]*FETCH_MAX_MB: /);
  });

  it('lists every bad setting at once, without echoing the token', () => {
    const token = 'MTAxNTk.secret.token-value';
    let error: unknown;
    try {
      parseConfig({ DISCORD_TOKEN: token, RATE_LIMIT: 'lots', TOP_K: '0', DISCORD_GUILD_ID: 'abc', DISCORD_API_URL: 'nope', AUTO_THREAD: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(':')[0])).toEqual(
      expect.arrayContaining(['RATE_LIMIT', 'TOP_K', 'DISCORD_GUILD_ID', 'DISCORD_API_URL', 'AUTO_THREAD']),
    );
    expect((error as Error).message).not.toContain(token);
  });

  it('resolves a local model folder against the project root and keeps hub ids as they are', () => {
    expect(parseConfig({ EMBEDDING_MODEL: './models/mine' }, '/srv/bot').embedding.model).toBe('/srv/bot/models/mine');
    expect(parseConfig({ EMBEDDING_MODEL: 'Xenova/all-MiniLM-L6-v2' }).embedding.model).toBe('Xenova/all-MiniLM-L6-v2');
  });

  it('treats an explicitly empty query prefix as "no prefix" and other blanks as unset', () => {
    const config = parseConfig({ EMBEDDING_QUERY_PREFIX: '', EMBEDDING_POOLING: '', RATE_LIMIT: '10 / 60s' });
    expect(config.embedding.queryPrefix).toBe('');
    expect(config.embedding.pooling).toBeUndefined();
    expect(config.discord.rateLimit).toEqual({ questions: 10, perSeconds: 60 });
  });

  it('runs every shard Discord recommends by default, or a range of a fixed total', () => {
    expect(parseConfig({}).discord.shards).toEqual({ count: 'auto', ids: undefined });
    expect(parseConfig({ SHARD_COUNT: '8', SHARD_IDS: '0-3' }).discord.shards).toEqual({ count: 8, ids: [0, 1, 2, 3] });
    expect(parseConfig({ SHARD_COUNT: '8', SHARD_IDS: '6, 2,4-5' }).discord.shards).toEqual({ count: 8, ids: [2, 4, 5, 6] });
  });

  it('refuses shard ranges that cannot add up across machines, saying why', () => {
    const problems = (env: Record<string, string>) => {
      try {
        parseConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ SHARD_IDS: '0-3' })).toEqual(['SHARD_IDS: needs SHARD_COUNT set to a number (the total over all machines), not "auto"']);
    expect(problems({ SHARD_COUNT: '4', SHARD_IDS: '2-5' })).toEqual(['SHARD_IDS: lists shards 4, 5, but SHARD_COUNT=4 numbers them 0 to 3']);
    expect(problems({ SHARD_COUNT: 'lots' })).toEqual(['SHARD_COUNT: must be "auto" or a whole number of shards, e.g. 8']);
  });

  it('keeps /add-article off, for managers only and away from private addresses unless told otherwise', () => {
    expect(parseConfig({}).discord.addArticle).toEqual({ enabled: false, adminRole: undefined, allowPrivateAddresses: false });
    expect(parseConfig({ ALLOW_ADD_ARTICLE: 'true', ADMIN_ROLE: '123456789012345678', ALLOW_PRIVATE_ADDRESSES: 'yes' }).discord.addArticle).toEqual({
      enabled: true,
      adminRole: '123456789012345678',
      allowPrivateAddresses: true,
    });
    expect(() => parseConfig({ ADMIN_ROLE: 'Editors' })).toThrow(/ADMIN_ROLE: must be a Discord id/);
    expect(() => parseConfig({ ALLOW_ADD_ARTICLE: 'sure' })).toThrow(/ALLOW_ADD_ARTICLE/);
  });

  it('serves health and metrics only when METRICS_PORT is set, on loopback unless told otherwise', () => {
    expect(parseConfig({}).metrics).toBeUndefined();
    expect(parseConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(() => parseConfig({ METRICS_PORT: '99999' })).toThrow(/METRICS_PORT: must be a port number/);
    expect(parseConfig({}).logFormat).toBe('text');
    expect(parseConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
  });
});
