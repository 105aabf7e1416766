/** Discord's epoch (2015-01-01T00:00:00.000Z) in milliseconds. */
export const DISCORD_EPOCH = 1_420_070_400_000;

/**
 * Discord-style snowflakes: `(ms since the Discord epoch) << 22 | worker << 17 | process << 12 | increment`.
 * Ids from one generator strictly increase, so sorting ids sorts by creation like on Discord.
 */
export class SnowflakeGenerator {
  #lastMs = 0;
  #increment = 0;

  next(at: number = Date.now()): string {
    if (at > this.#lastMs) {
      this.#lastMs = at;
      this.#increment = 0;
    } else if (++this.#increment > 0xfff) {
      // More than 4096 ids in one millisecond: borrow the next millisecond, as Discord would.
      this.#lastMs += 1;
      this.#increment = 0;
    }
    const id =
      (BigInt(this.#lastMs - DISCORD_EPOCH) << 22n) | (1n << 17n) | (1n << 12n) | BigInt(this.#increment);
    return id.toString();
  }

  /**
   * The next id whose time part (ms since the Discord epoch) satisfies `accept` — e.g. a guild id
   * on a chosen shard, since Discord routes a guild to shard `(id >> 22) % count`. Later ids keep
   * increasing from there.
   */
  nextWhere(accept: (msSinceEpoch: number) => boolean): string {
    let at = Math.max(Date.now(), this.#lastMs + 1);
    while (!accept(at - DISCORD_EPOCH)) at++;
    return this.next(at);
  }
}

/** The creation time (ms since the Unix epoch) encoded in a snowflake. */
export function snowflakeTime(id: string): number {
  return Number(BigInt(id) >> 22n) + DISCORD_EPOCH;
}
