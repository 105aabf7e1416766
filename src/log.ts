/**
 * A small leveled logger writing one line per event to stderr: readable text by default, or one
 * JSON object per line (`LOG_FORMAT=json`) for log collectors. Secrets registered with `redact`
 * are masked in every line, whatever the caller passes in.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

const secrets = new Set<string>();

/** Registers a secret (e.g. the Discord token) to be masked in every log line and error text. */
export function redact(secret: string | undefined): void {
  if (secret && secret.length >= 8) secrets.add(secret);
}

/** Masks every registered secret in `text`. */
export function scrub(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}

function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.stack ?? value.message);
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/** A field as JSON: errors become their stack, everything else stays as it is. */
function jsonValue(value: unknown): unknown {
  return value instanceof Error ? (value.stack ?? value.message) : value;
}

/**
 * One JSON log line: `time`, `level`, `msg`, `shard` (when the event concerns one gateway shard:
 * the `shard` field of the context), and the other context fields under `fields`.
 */
export function formatJsonLine(time: string, level: LogLevel, message: string, context: Record<string, unknown> | undefined): string {
  const fields: Record<string, unknown> = {};
  let shard: unknown;
  for (const [key, value] of Object.entries(context ?? {})) {
    if (value === undefined) continue;
    if (key === 'shard') shard = value;
    else fields[key] = jsonValue(value);
  }
  return JSON.stringify({ time, level, msg: message, ...(shard !== undefined ? { shard } : {}), ...(Object.keys(fields).length > 0 ? { fields } : {}) });
}

export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
  format: LogFormat = 'text',
): Logger {
  const emit = (at: LogLevel, message: string, context?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return;
    const time = new Date().toISOString();
    if (format === 'json') {
      // Scrubbed after serialising, so a secret is masked wherever it sits (message, field, stack).
      write(scrub(formatJsonLine(time, at, message, context)));
      return;
    }
    const fields = context
      ? Object.entries(context)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}=${formatValue(v)}`)
          .join(' ')
      : '';
    write(scrub(`${time} ${at.toUpperCase().padEnd(5)} ${message}${fields ? ' ' + fields : ''}`));
  };
  return {
    debug: (m, c) => emit('debug', m, c),
    info: (m, c) => emit('info', m, c),
    warn: (m, c) => emit('warn', m, c),
    error: (m, c) => emit('error', m, c),
  };
}
