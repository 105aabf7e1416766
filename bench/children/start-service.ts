/**
 * Child process: a fresh process that builds the whole answer service (article, model, index —
 * from `embeddings/` when present) as `npm start` does, then prints one JSON line: time from
 * process start to ready, memory when ready and at peak, and the first answer's latency.
 */
import { createAnswerService } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { emit } from '../lib/child.js';

const config = parseConfig(process.env);
let index: string | undefined;
const service = await createAnswerService(config, {
  logger: createLogger('warn'),
  onIndexEvent: (event) => {
    if (event.type === 'loaded' || event.type === 'saved') index = event.type;
  },
});
// Node's performance.now() counts from the start of this process (performance.timeOrigin).
const readyMs = performance.now();
const rssBytes = process.memoryUsage().rss;
// maxRSS is in kilobytes.
const maxRssReadyBytes = process.resourceUsage().maxRSS * 1024;
const result = await service.answer(process.env.BENCH_FIRST_QUESTION ?? 'What is HIMARS?');
const firstAnswerMs = performance.now() - readyMs;
emit({
  kind: 'service',
  readyMs,
  rssBytes,
  maxRssBytes: maxRssReadyBytes,
  index,
  mode: service.mode,
  firstAnswerMs,
  firstAnswerKind: result.kind,
});
process.exit(0);
