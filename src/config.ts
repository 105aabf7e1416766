import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting the program reads, parsed and validated once at start-up. The rest of the code
 * receives the frozen `Config` and never reads `process.env`.
 */

export const DEFAULT_ARTICLE_PATH = 'articles/us-escalates-conflict-2022-09-16.txt';
export const DEFAULT_MODEL = 'Snowflake/snowflake-arctic-embed-xs';

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const optionalString = z
  .string()
  .transform((v) => v.trim())
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const snowflake = z
  .string()
  .trim()
  .regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');

const rateLimit = z
  .string()
  .trim()
  .regex(/^(\d+)\s*\/\s*(\d+)\s*s?$/i, 'must look like "5/30s" (questions / seconds)')
  .transform((v) => {
    const [, count, seconds] = /^(\d+)\s*\/\s*(\d+)/.exec(v)!;
    return { questions: Number(count), perSeconds: Number(seconds) };
  })
  .refine((r) => r.questions >= 1 && r.perSeconds >= 1, 'needs at least 1 question per 1 second');

/** `auto` (the count Discord recommends) or a whole number of shards. */
const shardCount = z
  .string()
  .trim()
  .regex(/^(auto|[1-9]\d*)$/i, 'must be "auto" or a whole number of shards, e.g. 8')
  .transform((v): number | 'auto' => (v.toLowerCase() === 'auto' ? 'auto' : Number(v)));

/** "0-3", "4", or "0,2,5-7": the shard ids this process runs. */
const shardIds = z
  .string()
  .trim()
  .regex(/^\d+(-\d+)?(\s*,\s*\d+(-\d+)?)*$/, 'must list shard ids like "0-3" or "0,2,5-7"')
  .transform((v) => {
    const ids = new Set<number>();
    for (const part of v.split(',')) {
      const [from, to = from] = part.trim().split('-').map(Number) as [number, number?];
      for (let id = from; id <= to; id++) ids.add(id);
    }
    return [...ids].sort((a, b) => a - b);
  })
  .refine((ids) => ids.length > 0, 'lists no shard (is a range backwards, like "3-0"?)');

const port = z.coerce.number().int().min(0, 'must be a port number (0–65535)').max(65535, 'must be a port number (0–65535)');

const schema = z.object({
  ARTICLE_PATH: z.string().trim().min(1).optional(),
  ARTICLES_DIR: z.string().trim().min(1).default('articles'),
  // Fetching an article page (npm run add-article). A page arrives in a second or two; 20 s allows a
  // slow server without leaving the person adding it waiting long.
  FETCH_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(300).default(20),
  // Article pages of large news sites weigh about 0.5–3 MB (an estimate: inline scripts and data make
  // up most of it). Parsing is the cost: 2.6 MB took 1.4 s and 230 MB, 5 MB of dense markup 10 s and
  // 700 MB (jsdom, measured on 2 cores), so 5 MB keeps the worst case bounded.
  FETCH_MAX_MB: z.coerce.number().min(0.01).max(100).default(5),
  EMBEDDING_MODEL: z.string().trim().min(1).default(DEFAULT_MODEL),
  EMBEDDING_DTYPE: z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16']).optional(),
  EMBEDDING_POOLING: z.enum(['cls', 'mean']).optional(),
  EMBEDDING_QUERY_PREFIX: z.string().optional(),
  MODEL_CACHE_DIR: z.string().trim().min(1).default('.cache/models'),
  MODEL_REMOTE_HOST: z.url().optional(),
  MODEL_LOAD_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  EMBEDDINGS_DIR: z.string().trim().min(1).default('embeddings'),
  TOP_K: z.coerce.number().int().min(1).max(10).default(3),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  LOG_FORMAT: z.enum(['text', 'json']).default('text'),
  METRICS_PORT: port.optional(),
  METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),

  DISCORD_TOKEN: optionalString,
  DISCORD_CLIENT_ID: optionalString.pipe(snowflake.optional()),
  DISCORD_GUILD_ID: optionalString.pipe(snowflake.optional()),
  DISCORD_API_URL: optionalString.pipe(z.url().optional()),
  MESSAGE_CONTENT_INTENT: booleanString.default(false),
  AUTO_THREAD: booleanString.default(false),
  RATE_LIMIT: rateLimit.default({ questions: 5, perSeconds: 30 }),
  FEEDBACK_PATH: z.string().trim().min(1).default('data/feedback.jsonl'),
  SHARD_COUNT: shardCount.default('auto'),
  SHARD_IDS: shardIds.optional(),
  ALLOW_ADD_ARTICLE: booleanString.default(false),
  ADMIN_ROLE: optionalString.pipe(snowflake.optional()),
  ALLOW_PRIVATE_ADDRESSES: booleanString.default(false),
}).superRefine((s, ctx) => {
  if (!s.SHARD_IDS) return;
  // Shard ranges only add up across machines when every machine uses the same total.
  if (s.SHARD_COUNT === 'auto') {
    ctx.addIssue({ code: 'custom', path: ['SHARD_IDS'], message: 'needs SHARD_COUNT set to a number (the total over all machines), not "auto"' });
    return;
  }
  const count = s.SHARD_COUNT;
  const outside = s.SHARD_IDS.filter((id) => id >= count);
  if (outside.length > 0) ctx.addIssue({ code: 'custom', path: ['SHARD_IDS'], message: `lists shard${outside.length === 1 ? '' : 's'} ${outside.join(', ')}, but SHARD_COUNT=${count} numbers them 0 to ${count - 1}` });
});

export interface Config {
  /** One article to answer about instead of the whole `articlesDir`. */
  readonly articlePath: string | undefined;
  /** Where `npm run add-article` writes articles. */
  readonly articlesDir: string;
  /** Limits for fetching an article page. */
  readonly fetch: { readonly timeoutMs: number; readonly maxBytes: number };
  readonly embedding: {
    readonly model: string;
    readonly dtype: string | undefined;
    readonly pooling: 'cls' | 'mean' | undefined;
    readonly queryPrefix: string | undefined;
    readonly cacheDir: string;
    readonly remoteHost: string | undefined;
    readonly loadTimeoutMs: number;
  };
  readonly embeddingsDir: string;
  readonly topK: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** `json`: one JSON object per line, for log collectors. */
  readonly logFormat: 'text' | 'json';
  /** Where `/healthz` and `/metrics` are served; undefined when METRICS_PORT is unset (off). Port 0 picks a free port. */
  readonly metrics: { readonly host: string; readonly port: number } | undefined;
  readonly discord: {
    readonly token: string | undefined;
    readonly clientId: string | undefined;
    readonly guildId: string | undefined;
    readonly apiUrl: string | undefined;
    readonly messageContentIntent: boolean;
    readonly autoThread: boolean;
    readonly rateLimit: { readonly questions: number; readonly perSeconds: number };
    readonly feedbackPath: string;
    /**
     * Gateway shards: `count` is the total over every machine (`auto`: what Discord recommends);
     * `ids` the shards this process runs (undefined: all of them).
     */
    readonly shards: { readonly count: number | 'auto'; readonly ids: readonly number[] | undefined };
    /**
     * `/add-article`: off unless `enabled`; allowed to members with Manage Server and to members
     * with `adminRole`; fetching from non-public addresses only with `allowPrivateAddresses`.
     */
    readonly addArticle: { readonly enabled: boolean; readonly adminRole: string | undefined; readonly allowPrivateAddresses: boolean };
  };
}

/** Thrown when settings are invalid; `problems` holds one readable line per bad setting. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses settings from an environment-like record.
 * @param env usually `process.env` (after dotenv); blank values count as unset.
 * @param root folder that relative paths are resolved against (the project root).
 * @throws ConfigError listing every invalid setting at once.
 */
export function parseConfig(env: Record<string, string | undefined>, root = process.cwd()): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    // An empty EMBEDDING_QUERY_PREFIX is meaningful (no prefix); other blanks mean "unset".
    if (value !== undefined && (value.trim() !== '' || key === 'EMBEDDING_QUERY_PREFIX')) input[key] = value;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? 'config');
      // Never echo a token value back, even a malformed one.
      return `${key}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const s = parsed.data;
  const resolve = (p: string) => path.resolve(root, p);
  const isLocalPath = (m: string) => m.startsWith('.') || m.startsWith('/') || m.startsWith('~');
  return deepFreeze({
    articlePath: s.ARTICLE_PATH === undefined ? undefined : resolve(s.ARTICLE_PATH),
    articlesDir: resolve(s.ARTICLES_DIR),
    fetch: { timeoutMs: Math.round(s.FETCH_TIMEOUT_SECONDS * 1000), maxBytes: Math.round(s.FETCH_MAX_MB * 1024 * 1024) },
    embedding: {
      model: isLocalPath(s.EMBEDDING_MODEL) ? resolve(s.EMBEDDING_MODEL) : s.EMBEDDING_MODEL,
      dtype: s.EMBEDDING_DTYPE,
      pooling: s.EMBEDDING_POOLING,
      queryPrefix: s.EMBEDDING_QUERY_PREFIX,
      cacheDir: resolve(s.MODEL_CACHE_DIR),
      remoteHost: s.MODEL_REMOTE_HOST,
      loadTimeoutMs: s.MODEL_LOAD_TIMEOUT_SECONDS * 1000,
    },
    embeddingsDir: resolve(s.EMBEDDINGS_DIR),
    topK: s.TOP_K,
    logLevel: s.LOG_LEVEL,
    logFormat: s.LOG_FORMAT,
    metrics: s.METRICS_PORT === undefined ? undefined : { host: s.METRICS_HOST, port: s.METRICS_PORT },
    discord: {
      token: s.DISCORD_TOKEN,
      clientId: s.DISCORD_CLIENT_ID,
      guildId: s.DISCORD_GUILD_ID,
      apiUrl: s.DISCORD_API_URL,
      messageContentIntent: s.MESSAGE_CONTENT_INTENT,
      autoThread: s.AUTO_THREAD,
      rateLimit: s.RATE_LIMIT,
      feedbackPath: resolve(s.FEEDBACK_PATH),
      shards: { count: s.SHARD_COUNT, ids: s.SHARD_IDS },
      addArticle: { enabled: s.ALLOW_ADD_ARTICLE, adminRole: s.ADMIN_ROLE, allowPrivateAddresses: s.ALLOW_PRIVATE_ADDRESSES },
    },
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
