import type { AnswerService } from '../core/service.js';
import type { ShardState } from '../discord/shards.js';

/**
 * What `GET /healthz` says: 200 once the article index is loaded and every gateway shard this
 * process runs is ready, 503 with the reason otherwise — so a container health check or a load
 * balancer can tell a working bot from one that is starting, reconnecting or stuck.
 */

export interface HealthReport {
  /** 200 or 503. */
  readonly status: 200 | 503;
  readonly body: {
    readonly status: 'ok' | 'starting' | 'unavailable';
    /** Why it is not `ok`, in one line. */
    readonly reason?: string;
    /** `hybrid` or `lexical` (no embedding model), once the index is loaded. */
    readonly mode?: string;
    /** Shards ready out of those this process runs (0 of 0 for the terminal assistant). */
    readonly shards?: { readonly ready: number; readonly total: number };
    readonly article?: string;
  };
}

export interface Health {
  /** The answer service is built: the article is read and its index loaded. */
  serviceReady(service: AnswerService): void;
  /** This process serves Discord: not healthy until its shards are known and ready. */
  expectShards(): void;
  /** Where the shards' states come from (the running bot). */
  watchShards(source: () => readonly ShardState[]): void;
  report(): HealthReport;
}

/**
 * What the service answers about, as health and status output name it: the article's headline,
 * or for a library how many articles and the latest one.
 */
export function articleLabel(service: AnswerService): string {
  const { library } = service;
  return library.size === 1 ? library.latest.headline : `${library.size} articles (latest: ${library.latest.headline})`;
}

export function createHealth(): Health {
  let service: AnswerService | undefined;
  let shardsExpected = false;
  let shards: (() => readonly ShardState[]) | undefined;
  return {
    serviceReady(ready) {
      service = ready;
    },
    expectShards() {
      shardsExpected = true;
    },
    watchShards(source) {
      shardsExpected = true;
      shards = source;
    },
    report() {
      if (!service) return { status: 503, body: { status: 'starting', reason: 'loading the article index' } };
      const about = { mode: service.mode, article: articleLabel(service) };
      if (shardsExpected && !shards) return { status: 503, body: { status: 'starting', reason: 'logging in to Discord', ...about } };
      const states = shards?.() ?? [];
      const ready = states.filter((s) => s.ready).length;
      const counts = { ready, total: states.length };
      if (ready < states.length) {
        const waiting = states.filter((s) => !s.ready).map((s) => `shard ${s.id} ${s.status}`);
        return { status: 503, body: { status: 'unavailable', reason: `not every shard is ready: ${waiting.join(', ')}`, ...about, shards: counts } };
      }
      return { status: 200, body: { status: 'ok', mode: about.mode, shards: counts, article: about.article } };
    },
  };
}
