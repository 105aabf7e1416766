import { describe, expect, it } from 'vitest';
import { cooldownNotice, createCooldown } from '../../src/discord/cooldown.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('createCooldown', () => {
  it('allows `limit` questions per window, then says when the next one is allowed', () => {
    const time = clock();
    const cooldown = createCooldown({ limit: 3, windowMs: 30_000, now: time.now });
    expect(cooldown.take('u')).toEqual({ ok: true });
    time.advance(1000);
    expect(cooldown.take('u')).toEqual({ ok: true });
    time.advance(1000);
    expect(cooldown.take('u')).toEqual({ ok: true });
    time.advance(1000);
    // The first question (3 s ago) leaves the window in 27 s.
    expect(cooldown.take('u')).toEqual({ ok: false, retryAfterMs: 27_000 });
  });

  it('slides: each question leaves the window on its own', () => {
    const time = clock();
    const cooldown = createCooldown({ limit: 2, windowMs: 10_000, now: time.now });
    cooldown.take('u');
    time.advance(6000);
    cooldown.take('u');
    time.advance(4000); // the first question is now exactly 10 s old
    expect(cooldown.take('u')).toEqual({ ok: true });
    expect(cooldown.take('u')).toEqual({ ok: false, retryAfterMs: 6000 });
  });

  it('does not count refused questions, so waiting is enough', () => {
    const time = clock();
    const cooldown = createCooldown({ limit: 1, windowMs: 5000, now: time.now });
    cooldown.take('u');
    for (let i = 0; i < 10; i++) {
      time.advance(100);
      expect(cooldown.take('u').ok).toBe(false);
    }
    time.advance(4000);
    expect(cooldown.take('u')).toEqual({ ok: true });
  });

  it('counts users separately', () => {
    const cooldown = createCooldown({ limit: 1, windowMs: 5000, now: () => 0 });
    expect(cooldown.take('a').ok).toBe(true);
    expect(cooldown.take('b').ok).toBe(true);
    expect(cooldown.take('a').ok).toBe(false);
  });

  it('forgets idle users once many are tracked', () => {
    const time = clock();
    const cooldown = createCooldown({ limit: 1, windowMs: 1000, now: time.now, maxKeys: 2 });
    cooldown.take('a');
    cooldown.take('b');
    time.advance(2000);
    cooldown.take('c'); // sweeps a and b
    expect(cooldown.take('a').ok).toBe(true);
  });

  it('rejects a nonsensical limit', () => {
    expect(() => createCooldown({ limit: 0, windowMs: 1000 })).toThrow(RangeError);
  });
});

describe('cooldownNotice', () => {
  it('states the limit and whole seconds to wait', () => {
    expect(cooldownNotice(27_000, { questions: 5, perSeconds: 30 })).toBe(
      "You've reached the limit of 5 questions per 30 seconds — please try again in 27 seconds.",
    );
    expect(cooldownNotice(200, { questions: 1, perSeconds: 1 })).toBe(
      "You've reached the limit of 1 question per 1 second — please try again in 1 second.",
    );
  });
});
