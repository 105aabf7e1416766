import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runInteractive } from '../../src/cli/interactive.js';
import type { ShardState } from '../../src/discord/shards.js';
import { createHealth } from '../../src/ops/health.js';
import { createPrometheusMetrics } from '../../src/ops/prometheus.js';
import { OpsServerError, startOpsServer, type OpsServer } from '../../src/ops/server.js';
import { createTestService, memoryLogger } from '../support/service.js';

/**
 * The health and metrics endpoints on their own: what `/healthz` says at each stage of start-up,
 * what else the server answers, a port already taken, and the terminal assistant's questions.
 * (The bot answering through Discord while both are scraped: ops.e2e.test.ts.)
 */

const servers: OpsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(health = createHealth(), port = 0) {
  const metrics = createPrometheusMetrics();
  const server = await startOpsServer({ host: '127.0.0.1', port, health, registry: metrics.registry, logger: memoryLogger() });
  servers.push(server);
  return { server, health, metrics };
}

async function get(server: OpsServer, path: string, method = 'GET') {
  const response = await fetch(`${server.url}${path}`, { method });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

const shard = (id: number, ready: boolean): ShardState => ({ id, status: ready ? 'ready' : 'resuming', ready, pingMs: 40, guilds: 1 });

describe('/healthz through start-up', () => {
  it('503 while the index loads, 503 while logging in, 503 naming a shard that is not ready, then 200', async () => {
    const { server, health } = await serve();
    const { service } = await createTestService();
    const body = async () => JSON.parse((await get(server, '/healthz')).body) as unknown;

    expect((await get(server, '/healthz')).status).toBe(503);
    expect(await body()).toEqual({ status: 'starting', reason: 'loading the article index' });

    health.expectShards();
    health.serviceReady(service);
    expect(await body()).toEqual({ status: 'starting', reason: 'logging in to Discord', mode: 'hybrid', article: service.library.latest.headline });

    const states = [shard(0, true), shard(1, false)];
    health.watchShards(() => states);
    const waiting = await get(server, '/healthz');
    expect(waiting.status).toBe(503);
    expect(JSON.parse(waiting.body)).toMatchObject({ status: 'unavailable', reason: 'not every shard is ready: shard 1 resuming', shards: { ready: 1, total: 2 } });

    states[1] = shard(1, true);
    const ok = await get(server, '/healthz');
    expect(ok).toMatchObject({ status: 200, type: 'application/json' });
    expect(JSON.parse(ok.body)).toEqual({ status: 'ok', mode: 'hybrid', shards: { ready: 2, total: 2 }, article: service.library.latest.headline });
  });

  it('the terminal assistant (no Discord) is healthy once its index is loaded', async () => {
    const { server, health } = await serve();
    const { service } = await createTestService({ EMBEDDING_MODEL: 'test-org/unreachable', MODEL_REMOTE_HOST: 'http://127.0.0.1:9/' });
    health.serviceReady(service);
    expect(JSON.parse((await get(server, '/healthz')).body)).toEqual({ status: 'ok', mode: 'lexical', shards: { ready: 0, total: 0 }, article: service.library.latest.headline });
  });
});

describe('the server', () => {
  it('serves Prometheus text at /metrics, and nothing else', async () => {
    const { server } = await serve();
    const metrics = await get(server, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.body).toContain('# TYPE articlebot_questions_total counter');
    expect((await get(server, '/')).status).toBe(404);
    expect((await get(server, '/healthz', 'POST')).status).toBe(405);
  });

  it('a port already in use stops start-up with a line saying what to change', async () => {
    const { server } = await serve();
    const port = Number(new URL(server.url).port);
    const error = await serve(createHealth(), port).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpsServerError);
    expect((error as Error).message).toBe(
      `Cannot serve health and metrics on 127.0.0.1:${port} (the port is in use). Set METRICS_PORT (and METRICS_HOST) to a free port and an address of this machine, or leave METRICS_PORT empty.`,
    );
  });
});

it('counts the terminal assistant\'s questions as the cli surface', async () => {
  const { service } = await createTestService();
  const metrics = createPrometheusMetrics();
  const input = new PassThrough();
  const output = new PassThrough();
  output.resume();
  input.end('Who took control of three refineries?\nWhat is the capital of France?\n?!\nquit\n');
  await runInteractive(service, input, output, metrics);

  const text = await metrics.registry.metrics();
  expect(text).toContain('articlebot_questions_total{surface="cli",outcome="answered",shard=""} 1');
  expect(text).toContain('articlebot_questions_total{surface="cli",outcome="not-covered",shard=""} 1');
  expect(text).toContain('articlebot_questions_total{surface="cli",outcome="refused",shard=""} 1');
  expect(text).toContain('articlebot_answer_duration_seconds_count{surface="cli"} 2');
});
