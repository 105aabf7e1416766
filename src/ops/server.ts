import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../log.js';
import type { Health } from './health.js';

/**
 * The operations endpoints on METRICS_HOST:METRICS_PORT: `GET /healthz` (JSON, 200 or 503) and
 * `GET /metrics` (Prometheus text format). Nothing else is served.
 */
export interface OpsServer {
  /** `http://host:port` as bound (the real port when METRICS_PORT=0). */
  readonly url: string;
  close(): Promise<void>;
}

/** Could not listen (port in use, address not on this machine); the message says what to change. */
export class OpsServerError extends Error {
  override name = 'OpsServerError';
}

export async function startOpsServer(options: { readonly host: string; readonly port: number; readonly health: Health; readonly registry: Registry; readonly logger: Logger }): Promise<OpsServer> {
  const { health, registry, logger } = options;
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://ops').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Only GET is served here.\n');
      return;
    }
    if (path === '/healthz') {
      const report = health.report();
      response.writeHead(report.status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(`${JSON.stringify(report.body)}\n`);
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: unknown) => {
          logger.error('Could not collect metrics', { error: error instanceof Error ? error : String(error) });
          response.writeHead(500, { 'content-type': 'text/plain' }).end('Could not collect metrics.\n');
        },
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: this server has /healthz and /metrics.\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${options.host}:${options.port}`;
      const why = error.code === 'EADDRINUSE' ? 'the port is in use' : error.code === 'EADDRNOTAVAIL' ? 'that address is not on this machine' : (error.code ?? error.message);
      reject(new OpsServerError(`Cannot serve health and metrics on ${where} (${why}). Set METRICS_PORT (and METRICS_HOST) to a free port and an address of this machine, or leave METRICS_PORT empty.`));
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  logger.info(`Serving /healthz and /metrics on ${url}`);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
