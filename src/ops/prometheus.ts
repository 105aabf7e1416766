import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ShardState } from '../discord/shards.js';
import type { Metrics, QuestionEvent } from './metrics.js';

/**
 * The program's metrics in Prometheus form, served at `/metrics` (METRICS_PORT). Gateway figures
 * are read from the shards at each scrape; question and vote counters are updated as they happen.
 */
export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
  /** Where the gateway figures (status, ping, servers per shard) come from; none until called. */
  watchShards(source: () => readonly ShardState[]): void;
}

/**
 * Answer latency buckets, in seconds: an answer's own work takes a few milliseconds on the default
 * model (see README, Performance) and tens through Discord; 1.5 s is when an interaction answer is
 * deferred and 3 s Discord's deadline, so the upper buckets show answers that came close to it.
 */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 3, 5, 10];

export function createPrometheusMetrics(): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let shards: () => readonly ShardState[] = () => [];

  const questions = new Counter({
    name: 'articlebot_questions_total',
    help: 'Questions asked, by surface (slash, mention, dm, context-menu, cli, reply, thread), outcome (answered, not-covered, clarify (a question back: which article?), refused, cooldown, error) and gateway shard (empty outside Discord).',
    labelNames: ['surface', 'outcome', 'shard'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'articlebot_answer_duration_seconds',
    help: 'Time from a question arriving to its answer being delivered (answered and not-covered), by surface.',
    labelNames: ['surface'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const votes = new Counter({
    name: 'articlebot_feedback_votes_total',
    help: 'Feedback votes recorded, by vote (up, down).',
    labelNames: ['vote'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'articlebot_gateway_ping_seconds',
    help: 'Last gateway heartbeat round trip, per shard this process runs.',
    labelNames: ['shard'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const shard of shards()) if (shard.pingMs !== undefined) this.set({ shard: String(shard.id) }, shard.pingMs / 1000);
    },
  });
  new Gauge({
    name: 'articlebot_gateway_up',
    help: 'Whether each shard this process runs is connected and ready (1) or not (0).',
    labelNames: ['shard'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const shard of shards()) this.set({ shard: String(shard.id) }, shard.ready ? 1 : 0);
    },
  });
  new Gauge({
    name: 'articlebot_gateway_status',
    help: "Each shard's gateway status (ready, connecting, reconnecting, resuming, identifying, waiting-for-guilds, disconnected …): 1 for its current one.",
    labelNames: ['shard', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const shard of shards()) this.set({ shard: String(shard.id), status: shard.status }, 1);
    },
  });
  new Gauge({
    name: 'articlebot_guilds',
    help: 'Servers the bot is in, per shard this process runs.',
    labelNames: ['shard'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const shard of shards()) this.set({ shard: String(shard.id) }, shard.guilds);
    },
  });

  return {
    registry,
    watchShards(source) {
      shards = source;
    },
    question(event: QuestionEvent) {
      questions.inc({ surface: event.surface, outcome: event.outcome, shard: event.shard === undefined ? '' : String(event.shard) });
      if (event.outcome === 'answered' || event.outcome === 'not-covered' || event.outcome === 'clarify') latency.observe({ surface: event.surface }, event.seconds);
    },
    vote(vote) {
      votes.inc({ vote });
    },
  };
}
