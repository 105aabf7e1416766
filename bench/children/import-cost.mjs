// Child process (plain JavaScript, so that it runs both on plain Node and under tsx): the resident
// memory that importing @huggingface/transformers adds. Prints one JSON line.
const before = process.memoryUsage().rss;
const started = performance.now();
await import('@huggingface/transformers');
const cpu = process.cpuUsage();
process.stdout.write(
  `${JSON.stringify({
    rssBeforeBytes: before,
    rssAfterBytes: process.memoryUsage().rss,
    importMs: performance.now() - started,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  })}\n`,
);
process.exit(0);
