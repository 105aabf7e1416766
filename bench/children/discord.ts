/**
 * Child process: end to end through Discord on loopback. The fake Discord of the tests
 * (tests/support/fake-discord) dispatches an `/ask` INTERACTION_CREATE over its gateway to the
 * real bot (unmodified discord.js, commands registered with the real register script); the time
 * runs until the bot's reply reaches the fake's REST API. `service.answer` is timed in the same
 * process, question by question in alternation, so the difference is what Discord handling adds.
 * Prints one JSON line.
 */
import { createAnswerService } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { startBot } from '../../src/discord/bot.js';
import { registerCommands } from '../../src/discord/register.js';
import { createLogger } from '../../src/log.js';
import { startFakeDiscord } from '../../tests/support/fake-discord/index.js';
import { emit } from '../lib/child.js';
import { BENCH_QUESTIONS } from '../lib/questions.js';
import { median, round, summarize } from '../lib/stats.js';

const REPS = Number(process.env.BENCH_DISCORD_REPS ?? 5);
const now = () => performance.now();
const logger = createLogger('warn');

const fake = await startFakeDiscord();
const config = parseConfig({
  ...process.env,
  DISCORD_TOKEN: fake.token,
  DISCORD_API_URL: fake.apiUrl,
  DISCORD_GUILD_ID: fake.guild.id,
  // The bench asks far more often than a person may.
  RATE_LIMIT: '1000000/1s',
});
const service = await createAnswerService(config, { logger });
await registerCommands({ config, logger });
const bot = await startBot({ config, service, logger });
await fake.waitForSession();
const user = fake.createUser('bench');

let failures = 0;
async function viaDiscord(question: string): Promise<number> {
  const started = now();
  const ask = fake.slashCommand({ user, name: 'ask', options: { question } });
  const reply = await ask.reply({ timeoutMs: 30_000 });
  const elapsed = now() - started;
  if (reply.embeds.length === 0 && !reply.content) failures++;
  return elapsed;
}
async function direct(question: string): Promise<number> {
  const started = now();
  await service.answer(question);
  return now() - started;
}

for (const q of BENCH_QUESTIONS.slice(0, 5)) {
  await viaDiscord(q);
  await direct(q);
}
const discord: number[] = [];
const answer: number[] = [];
const paired: number[] = [];
for (let rep = 0; rep < REPS; rep++) {
  for (const [i, q] of BENCH_QUESTIONS.entries()) {
    let d: number;
    let a: number;
    if ((rep + i) % 2 === 0) {
      d = await viaDiscord(q);
      a = await direct(q);
    } else {
      a = await direct(q);
      d = await viaDiscord(q);
    }
    discord.push(d);
    answer.push(a);
    paired.push(d - a);
  }
}
await bot.stop();
await fake.close();

const d = summarize(discord);
const a = summarize(answer);
emit({
  dtype: config.embedding.dtype,
  asks: discord.length,
  failures,
  discord: { p50: round(d.p50), p95: round(d.p95), max: round(d.max) },
  answer: { p50: round(a.p50), p95: round(a.p95), max: round(a.max) },
  addedMsP50: round(d.p50 - a.p50),
  addedMsPairedMedian: round(median(paired)),
  ratio: round(d.p50 / a.p50),
});
process.exit(0);
