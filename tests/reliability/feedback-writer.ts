/**
 * A child process for feedback.test.ts: appends feedback records to the file named by argv[2]
 * through the real store until it is killed (or has written argv[4] records, default 100). Every
 * record's `answerId` is `a<sequence number>`; records are large (argv[3] bytes of quote, default
 * 256 KiB) so that a kill may land inside a write. After every 25th record is written it prints
 * `written <n>` on stdout.
 */
import { openFeedbackStore, type FeedbackRecord } from '../../src/discord/feedback.js';

const file = process.argv[2];
if (!file) throw new Error('usage: feedback-writer.ts <file> [quote bytes]');
const quote = 'q'.repeat(Number(process.argv[3] ?? 256 * 1024));
const store = openFeedbackStore(file);

function record(n: number): FeedbackRecord {
  return {
    time: new Date().toISOString(),
    userId: `user-${n % 7}`,
    vote: n % 2 === 0 ? 'up' : 'down',
    question: `question ${n}`,
    answer: `answer ${n}`,
    citations: [{ passage: 15, score: 1, quote }],
    answerId: `a${n}`,
    messageId: String(1_000_000 + n),
    guildId: null,
    channelId: '42',
  };
}

// Several records in flight at once, as concurrent clicks would queue them.
const IN_FLIGHT = 4;
/** A bound on the file's size in case the kill never comes (the test reads the file into memory). */
const MAX_RECORDS = Number(process.argv[4] ?? 100);
let next = 0;
async function writer(): Promise<void> {
  while (next < MAX_RECORDS) {
    const n = next++;
    await store.record(record(n));
    if ((n + 1) % 25 === 0) {
      // Let the store start writing the next queued record before reporting (and before this loop
      // spends time serialising another): the kill that follows the report then lands mid-write.
      await new Promise((resolve) => setImmediate(resolve));
      process.stdout.write(`written ${n + 1}\n`);
    }
  }
}
await Promise.all(Array.from({ length: IN_FLIGHT }, writer));
