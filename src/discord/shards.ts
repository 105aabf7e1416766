import { ShardClientUtil, Status, type Client } from 'discord.js';

/**
 * Which gateway shard an event belongs to, and how each shard this process runs is doing — for
 * logs, metrics and the health check. Sharding itself is discord.js's (client `shards` /
 * `shardCount`): one process runs one range of shards and loads the model once for all of them.
 */

/**
 * The shard Discord delivers events about `guildId` on — `(guild_id >> 22) % shard count` — and
 * shard 0 for direct messages and group DMs (no guild).
 */
export function shardFor(client: Client, guildId: string | null | undefined): number {
  if (!guildId) return 0;
  return ShardClientUtil.shardIdForGuildId(guildId, client.options.shardCount ?? 1);
}

export interface ShardState {
  readonly id: number;
  /** discord.js's status in words: `ready`, `connecting`, `reconnecting`, `resuming`, `identifying` … */
  readonly status: string;
  readonly ready: boolean;
  /** Last heartbeat round trip; undefined before the first one. */
  readonly pingMs: number | undefined;
  /** Servers on this shard. */
  readonly guilds: number;
}

/** Every shard this process runs, in id order. */
export function shardStates(client: Client): ShardState[] {
  const guilds = new Map<number, number>();
  for (const guild of client.guilds.cache.values()) guilds.set(guild.shardId, (guilds.get(guild.shardId) ?? 0) + 1);
  return [...client.ws.shards.values()]
    .map((shard) => ({
      id: shard.id,
      status: statusName(shard.status),
      ready: shard.status === Status.Ready,
      // discord.js reports -1 until the first heartbeat is acknowledged.
      pingMs: shard.ping >= 0 ? shard.ping : undefined,
      guilds: guilds.get(shard.id) ?? 0,
    }))
    .sort((a, b) => a.id - b.id);
}

/** `WaitingForGuilds` → `waiting-for-guilds`. */
function statusName(status: Status): string {
  const name = Status[status] ?? `status-${String(status)}`;
  return name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}

/** "0–2 of 3", "4 of 8", "0, 2 of 4": the shards a process runs, for log lines. */
export function describeShards(ids: readonly number[], count: number): string {
  const sorted = [...ids].sort((a, b) => a - b);
  const contiguous = sorted.every((id, i) => i === 0 || id === sorted[i - 1]! + 1);
  const list = sorted.length > 1 && contiguous ? `${sorted[0]}–${sorted.at(-1)}` : sorted.join(', ');
  return `${list} of ${count}`;
}
