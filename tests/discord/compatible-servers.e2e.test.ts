import { afterEach, expect, it } from 'vitest';
import { createAnswerService } from '../../src/app.js';
import { DiscordLoginError, startBot } from '../../src/discord/bot.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';
import { memoryLogger, testConfig } from '../support/service.js';

/**
 * Discord-compatible servers (DISCORD_API_URL): when the server's gateway closes every connection
 * — as Spacebar's default configuration does to clients that send no User-Agent (close 4002) —
 * start-up says so, with the close code and what it means, instead of only timing out.
 */

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

it('a gateway that keeps closing the connection: start-up stops with the last close code and what it means', async () => {
  fake = await startFakeDiscord({ gatewayRequiresUserAgent: true });
  const config = await testConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl });
  const logger = memoryLogger();
  const service = await createAnswerService(config, { logger, embedder: null });
  const started = Date.now();
  const error = await startBot({ config, service, logger }).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(DiscordLoginError);
  expect((error as Error).message).toMatchInlineSnapshot(`"Could not log in: the gateway closed the connection 5 times before the bot was ready; the last close was 4002 (DecodeError). The server could not read what the client sent. Spacebar (a Discord-compatible server) closes connections without a User-Agent this way in its default configuration: see "Discord-compatible servers" in the README."`);
  // Well before the 60 s login timeout.
  expect(Date.now() - started).toBeLessThan(20_000);
  // Every connection was closed before the client could even identify.
  const closes = fake.gatewayEvents.filter((e) => e.type === 'close');
  expect(closes.length).toBeGreaterThanOrEqual(4);
  expect(closes.every((e) => e.type === 'close' && e.code === 4002 && e.by === 'server')).toBe(true);
  expect(fake.gatewayEvents.some((e) => e.type === 'identify')).toBe(false);
});

it('a login that times out says how the gateway last closed', async () => {
  fake = await startFakeDiscord({ gatewayRequiresUserAgent: true });
  const config = await testConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl });
  const logger = memoryLogger();
  const service = await createAnswerService(config, { logger, embedder: null });
  const error = await startBot({ config, service, logger, loginTimeoutMs: 800 }).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(DiscordLoginError);
  expect((error as Error).message).toMatch(/^Timed out after 1 s waiting for Discord to report the bot ready\. The gateway closed the connection [1-4] times? before the bot was ready; the last close was 4002 \(DecodeError\)\. .*Spacebar/);
});
