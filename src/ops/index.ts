import type { Config } from '../config.js';
import type { ShardState } from '../discord/shards.js';
import type { Logger } from '../log.js';
import { createHealth, type Health } from './health.js';
import type { Metrics } from './metrics.js';
import type { OpsServer } from './server.js';

/**
 * Health and metrics for a running `npm start` (bot or terminal assistant), when METRICS_PORT is
 * set. prom-client is loaded only then.
 */
export interface Operations {
  readonly metrics: Metrics;
  readonly health: Health;
  readonly server: OpsServer;
  /** The running bot's shards, for both `/healthz` and the gateway metrics. */
  watchShards(source: () => readonly ShardState[]): void;
  close(): Promise<void>;
}

/**
 * Starts serving `/healthz` (503 "starting" until the service is ready) and `/metrics`.
 * @throws OpsServerError when the address cannot be bound.
 */
export async function startOperations(settings: NonNullable<Config['metrics']>, logger: Logger): Promise<Operations> {
  const [{ createPrometheusMetrics }, { startOpsServer }] = await Promise.all([import('./prometheus.js'), import('./server.js')]);
  const metrics = createPrometheusMetrics();
  const health = createHealth();
  const server = await startOpsServer({ ...settings, health, registry: metrics.registry, logger });
  return {
    metrics,
    health,
    server,
    watchShards(source) {
      health.watchShards(source);
      metrics.watchShards(source);
    },
    close: () => server.close(),
  };
}
