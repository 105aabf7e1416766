// @ts-check
/**
 * The container's HEALTHCHECK: exits 0 when `GET /healthz` answers 200 (the index is loaded and
 * every shard is ready), 1 otherwise, printing the answer. With METRICS_PORT unset there is no
 * endpoint to ask, so it exits 0: the container is then judged by whether it keeps running.
 */
const port = process.env.METRICS_PORT?.trim();
if (!port) process.exit(0);
const bound = process.env.METRICS_HOST?.trim() || '127.0.0.1';
// A server listening on every address is reached on loopback from inside the container.
const host = ['0.0.0.0', '::', '[::]'].includes(bound) ? '127.0.0.1' : bound.includes(':') ? `[${bound}]` : bound;
try {
  const response = await fetch(`http://${host}:${port}/healthz`, { signal: AbortSignal.timeout(4000) });
  process.stdout.write(await response.text());
  process.exit(response.status === 200 ? 0 : 1);
} catch (error) {
  process.stderr.write(`Health check failed: ${/** @type {Error} */ (error).message}\n`);
  process.exit(1);
}
