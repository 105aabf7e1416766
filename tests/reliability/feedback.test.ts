import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { currentVotes, openFeedbackStore, readFeedback, type FeedbackRecord } from '../../src/discord/feedback.js';
import { MAX_QUESTION_CHARS } from '../../src/limits.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import type { BotMessage } from '../support/fake-discord/index.js';
import { tempDir } from '../support/service.js';
import { CANARY_TOKEN, KNOWN_QUESTION, leakedLines, startProcess } from './helpers.js';

/**
 * The 👍/👎 file under pressure: many clicks at once never interleave or corrupt a record, and a
 * writer killed mid-write loses at most the record it was writing — nothing before it, and
 * nothing written after a restart.
 */

/** Every line of the file: the complete ones must all parse; only the very last may be partial. */
async function fileLines(file: string): Promise<{ complete: unknown[]; partial: string | undefined }> {
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  return { complete: lines.map((l) => JSON.parse(l) as unknown), partial: last === '' ? undefined : last };
}

describe('concurrent votes through Discord', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ fake: { token: CANARY_TOKEN } });
  });
  afterAll(async () => {
    expect(leakedLines(...h.logger.lines)).toEqual([]);
    await h?.stop();
  });

  it('records every click of 40 people voting on three answers at once, each record whole', async () => {
    // A long question makes long records: interleaved writes would show as broken lines.
    const longQuestion = `${KNOWN_QUESTION} ${'Which refineries and which company? '.repeat(40)}`.slice(0, MAX_QUESTION_CHARS);
    const questions = [KNOWN_QUESTION, 'What would the Taiwan Policy Act send to Taiwan?', longQuestion];
    const asker = h.fake.createUser('asker');
    const answers: BotMessage[] = [];
    for (const question of questions) answers.push(await h.fake.slashCommand({ user: asker, name: 'ask', options: { question } }).reply());

    const voters = Array.from({ length: 40 }, (_, i) => h.fake.createUser(`voter-${i}`));
    const clicks = voters.flatMap((user, i) =>
      answers.map((message, a) => {
        const vote = (i + a) % 3 === 0 ? 'down' : 'up';
        const customId = JSON.stringify(message.components).match(new RegExp(`vote:${vote}:[A-Za-z0-9_-]+`))?.[0];
        if (!customId) throw new Error(`answer ${a} has no ${vote} button`);
        return { user, vote, answerId: customId.split(':')[2] ?? '', question: questions[a] ?? '', handle: h.fake.button({ user, customId, message }) };
      }),
    );
    const confirmations = await Promise.all(clicks.map((c) => c.handle.reply()));
    expect(confirmations.map((m) => m.content)).toEqual(clicks.map((c) => `Thanks — recorded ${c.vote === 'up' ? '👍' : '👎'}`));
    expect(clicks.filter((c) => c.handle.state.expired)).toEqual([]);

    const file = h.config.discord.feedbackPath;
    const { complete, partial } = await fileLines(file);
    expect(partial).toBeUndefined();
    expect(complete).toHaveLength(clicks.length);
    const { records, skipped } = await readFeedback(file);
    expect(skipped).toBe(0);
    const key = (r: Pick<FeedbackRecord, 'userId' | 'answerId' | 'vote' | 'question'>) => `${r.userId} ${r.answerId} ${r.vote} ${r.question.length}`;
    expect(records.map(key).sort()).toEqual(clicks.map((c) => key({ userId: c.user.id, answerId: c.answerId, vote: c.vote as 'up' | 'down', question: c.question })).sort());
    expect(currentVotes(records)).toHaveLength(clicks.length);
    for (const r of records) expect(questions).toContain(r.question);
  });
});

describe('a writer killed mid-stream', () => {
  it('leaves every written record readable; at most the last line is partial', { timeout: 30_000 }, async () => {
    const dir = await tempDir();
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'feedback.jsonl');
    // Large records (4 MiB): a write takes long enough for the kill to land inside one, some of the time.
    const writer = startProcess('tests/reliability/feedback-writer.ts', [file, String(4 * 1024 * 1024), '50'], {});
    await writer.waitForLine(/^written \d+$/);
    // Killed as soon as some records are known to be written, with more in flight.
    writer.child.kill('SIGKILL');
    expect(await writer.exited).toBe('SIGKILL');
    // Every record reported written before the kill.
    const acknowledged = Math.max(...writer.stdout().trim().split('\n').map((l) => Number(l.split(' ')[1])));

    const { complete, partial } = await fileLines(file);
    const { records, skipped } = await readFeedback(file);
    expect(records).toHaveLength(complete.length);
    expect(skipped).toBe(partial === undefined ? 0 : 1);
    // Nothing lost or reordered before the crash: records 0, 1, 2 … in order, at least those acknowledged.
    expect(records.map((r) => r.answerId)).toEqual(records.map((_, i) => `a${i}`));
    expect(records.length).toBeGreaterThanOrEqual(acknowledged);
    console.log(`killed writer: ${records.length} whole records (${acknowledged} acknowledged), last line ${partial === undefined ? 'complete' : `partial (${partial.length} bytes)`}`);

    // The next run appends after the crash without its first record being glued to a partial line.
    const store = openFeedbackStore(file);
    await store.record({ ...records[0]!, answerId: 'after-restart' });
    await store.close();
    const after = await readFeedback(file);
    expect(after.records.map((r) => r.answerId)).toEqual([...records.map((r) => r.answerId), 'after-restart']);
  });

  it('a partial last line left by a crash does not swallow the next record', async () => {
    const file = path.join(await tempDir(), 'feedback.jsonl');
    const whole: FeedbackRecord = {
      time: new Date().toISOString(),
      userId: '1',
      vote: 'up',
      question: 'q',
      answer: 'a',
      citations: [],
      answerId: 'before',
      messageId: '2',
      guildId: null,
      channelId: '3',
    };
    await writeFile(file, `${JSON.stringify(whole)}\n${JSON.stringify({ ...whole, answerId: 'torn' }).slice(0, 40)}`);
    const store = openFeedbackStore(file);
    await store.record({ ...whole, answerId: 'after' });
    await store.close();
    const { records, skipped } = await readFeedback(file);
    expect(records.map((r) => r.answerId)).toEqual(['before', 'after']);
    expect(skipped).toBe(1);
  });
});
