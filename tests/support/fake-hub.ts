/**
 * A loopback stand-in for the Hugging Face hub. transformers.js downloads
 * `${env.remoteHost}${env.remotePathTemplate}${file}` with the default template
 * `{model}/resolve/{revision}/`, i.e. `http://127.0.0.1:PORT/<org>/<name>/resolve/main/onnx/model.onnx`,
 * and probes sizes with `Range: bytes=0-0` GETs. This server answers those from local folders with
 * Content-Length (so progress callbacks get totals), HEAD, single byte ranges (206 + Content-Range),
 * and 404 for anything unknown.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface FakeHubOptions {
  /** Model id (e.g. 'test-org/bow-model') → folder holding its files. */
  readonly models: Readonly<Record<string, string>>;
}

export interface FakeHub {
  /** Value for transformers.js `env.remoteHost`, e.g. 'http://127.0.0.1:41234/' (trailing slash). */
  readonly url: string;
  /** Every request seen, in order, as `"<METHOD> <path>"`, with `" [Range: bytes=0-0]"` appended for range requests. */
  readonly requests: string[];
  close(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.onnx': 'application/octet-stream',
};

/** Maps a request path to a file inside one of the model folders, or null. */
function resolveFile(models: Readonly<Record<string, string>>, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  for (const [id, folder] of Object.entries(models)) {
    const prefix = `/${id}/resolve/`;
    if (!decoded.startsWith(prefix)) continue;
    const rest = decoded.slice(prefix.length); // "<revision>/<file path>"
    const slash = rest.indexOf('/');
    if (slash <= 0) return null;
    const relative = rest.slice(slash + 1);
    const root = path.resolve(folder);
    const file = path.resolve(root, relative);
    if (!relative || !file.startsWith(root + path.sep)) return null;
    return file;
  }
  return null;
}

function parseRange(header: string, size: number): { start: number; end: number } | 'invalid' | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null; // unsupported syntax (e.g. multiple ranges): ignore, send the whole file
  const [, from = '', to = ''] = match;
  let start: number;
  let end: number;
  if (from === '') {
    if (to === '') return null;
    start = Math.max(0, size - Number(to));
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return { start, end };
}

async function handle(models: Readonly<Record<string, string>>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Length': 0 }).end();
    return;
  }
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  const file = resolveFile(models, pathname);
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) {
    const body = 'Entry not found';
    res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
    res.end(method === 'HEAD' ? undefined : body);
    return;
  }

  const size = info.size;
  const headers: Record<string, string | number> = {
    'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    ETag: `"${size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
  };
  const range = req.headers.range ? parseRange(req.headers.range, size) : null;
  if (range === 'invalid') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Length': 0 }).end();
    return;
  }
  const start = range ? range.start : 0;
  const end = range ? range.end : size - 1;
  const length = size === 0 ? 0 : end - start + 1;
  headers['Content-Length'] = length;
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  res.writeHead(range ? 206 : 200, headers);
  if (method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file, { start, end });
  stream.on('error', (error) => res.destroy(error));
  stream.pipe(res);
}

export async function startFakeHub(options: FakeHubOptions): Promise<FakeHub> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method ?? 'GET'} ${req.url ?? '/'}${req.headers.range ? ` [Range: ${req.headers.range}]` : ''}`);
    handle(options.models, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // fetch keeps connections alive; drop them so close() resolves now.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
