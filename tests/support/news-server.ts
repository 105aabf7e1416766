import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A loopback web server standing in for news sites: each path is a handler, so a test can serve a
 * fixture page, a redirect, an error, a server that never finishes, or an endless body.
 */

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface NewsServer {
  /** Base address, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** Every request, in order: path and the User-Agent it carried. */
  readonly requests: Array<{ readonly path: string; readonly userAgent: string | undefined }>;
  /** Adds or replaces a route. */
  route(pathname: string, handler: Route): void;
  close(): Promise<void>;
}

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/ingest');

/** Serves a fixture file with the given Content-Type. */
export function fixture(name: string, contentType = 'text/html; charset=utf-8'): Route {
  return (_req, res) => {
    void readFile(path.join(FIXTURES, name)).then((body) => {
      res.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
      res.end(body);
    });
  };
}

export function redirect(location: string, status = 302): Route {
  return (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  };
}

export function status(code: number, body = `<html><body><h1>Error ${code}</h1></body></html>`): Route {
  return (_req, res) => {
    res.writeHead(code, { 'content-type': 'text/html' });
    res.end(body);
  };
}

export async function startNewsServer(routes: Record<string, Route> = {}): Promise<NewsServer> {
  const table = new Map(Object.entries(routes));
  const requests: Array<{ path: string; userAgent: string | undefined }> = [];
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push({ path: pathname, userAgent: req.headers['user-agent'] });
    const handler = table.get(pathname);
    if (handler) handler(req, res);
    else status(404)(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route: (pathname, handler) => table.set(pathname, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
