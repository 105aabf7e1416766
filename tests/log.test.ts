import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../src/log.js';

/** What an operator's log collector receives, in both formats; the token never appears. */

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.LOG-canary-token.xyz';
redact(TOKEN);

function capture(format: 'text' | 'json', level: 'debug' | 'info' = 'info') {
  const lines: string[] = [];
  return { logger: createLogger(level, (line) => lines.push(line), format), lines };
}

describe('LOG_FORMAT=json', () => {
  it('writes one JSON object per line: time, level, msg, shard, and the other fields', () => {
    const { logger, lines } = capture('json');
    logger.info('Answered', { shard: 2, handler: '/ask', ms: 12.5, ephemeral: false, missing: undefined });
    logger.warn('Reconnecting to Discord');
    logger.debug('hidden below info');

    expect(lines).toHaveLength(2);
    const [answered, reconnecting] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(answered).toEqual({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), level: 'info', msg: 'Answered', shard: 2, fields: { handler: '/ask', ms: 12.5, ephemeral: false } });
    expect(reconnecting).toEqual({ time: expect.any(String), level: 'warn', msg: 'Reconnecting to Discord' });
  });

  it('keeps an error as its stack in one line, and masks the token in message, fields and stack', () => {
    const { logger, lines } = capture('json');
    const error = new Error(`request with ${TOKEN} failed`);
    logger.error(`Login failed for ${TOKEN}`, { error, header: `Bot ${TOKEN}` });

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(TOKEN);
    const line = JSON.parse(lines[0]!) as { msg: string; fields: { error: string; header: string } };
    expect(line.msg).toBe('Login failed for [redacted]');
    expect(line.fields.header).toBe('Bot [redacted]');
    expect(line.fields.error).toMatch(/^Error: request with \[redacted\] failed\n\s+at /);
  });
});

describe('the default text format', () => {
  it('stays one readable line per event, with the shard as a field and the token masked', () => {
    const { logger, lines } = capture('text');
    logger.info(`Ready with ${TOKEN}`, { shard: 1, guilds: 3 });
    expect(lines).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT\S+Z INFO {2}Ready with \[redacted\] shard=1 guilds=3$/)]);
  });
});
