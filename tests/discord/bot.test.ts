import { describe, expect, it } from 'vitest';
import { explainCloseCode, explainLoginFailure } from '../../src/discord/bot.js';
import { logUnhandledRejection } from '../../src/discord/main.js';
import { memoryLogger } from '../support/service.js';

describe('login failure messages', () => {
  it('tells the operator to replace a rejected token', () => {
    for (const message of [
      explainLoginFailure(Object.assign(new Error('An invalid token was provided.'), { code: 'TokenInvalid' }), undefined, undefined),
      explainLoginFailure(new Error('Authentication failed'), undefined, undefined),
      explainLoginFailure(new Error('gateway closed'), 4004, undefined),
    ]) {
      expect(message).toMatch(/^Discord rejected DISCORD_TOKEN/);
    }
  });

  it('explains a disallowed Message Content intent with both fixes', () => {
    const message = explainLoginFailure(new Error('Used disallowed intents'), 4014, undefined);
    expect(message).toBe(explainCloseCode(4014));
    expect(message).toContain('Developer Portal');
    expect(message).toContain('MESSAGE_CONTENT_INTENT=false');
  });

  it('names the server that could not be reached', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(explainLoginFailure(refused, undefined, 'http://127.0.0.1:9/api')).toBe(
      'Could not reach Discord at http://127.0.0.1:9/api (ECONNREFUSED). Check the network and DISCORD_API_URL.',
    );
  });
});

describe('the catch-all for unhandled rejections', () => {
  it('logs one error line, and the stack where it came from at debug level', () => {
    const debug = memoryLogger('debug');
    const info = memoryLogger('info');
    const error = Object.assign(new TypeError('Cannot read properties of undefined'), { code: 'X1' });
    logUnhandledRejection(debug)(error);
    logUnhandledRejection(info)(error);

    expect(info.lines).toEqual([expect.stringMatching(/ERROR Unhandled rejection error="TypeError: Cannot read properties of undefined \(code X1\)"$/)]);
    expect(debug.lines).toHaveLength(2);
    expect(debug.lines[1]).toMatch(/DEBUG Unhandled rejection stack stack="TypeError: Cannot read properties of undefined\\n +at .*bot\.test\.ts/);
  });
});
