import { STATUS_CODES } from 'node:http';
import { IngestRefusal } from './errors.js';

/**
 * Fetching one web page on a user's request, with the limits a program that fetches whatever
 * address it is given needs: a deadline for the whole exchange, a cap on the bytes read, a bounded
 * number of redirects, and a check that the body is a web page at all.
 */

/**
 * Most redirects followed. News links go through two or three hops at most (a shortener, http →
 * https, the canonical address); the Fetch standard allows 20, which only delays the answer to a
 * redirect loop.
 */
export const MAX_REDIRECTS = 5;

/**
 * Names the program honestly, as site operators ask of automated clients, instead of posing as a
 * browser. A site that refuses it is answered with its own status code.
 */
export const USER_AGENT = 'article-qa-bot/0.1 (fetches one news article on request for a question-answering bot; Node.js)';

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface FetchLimits {
  /** Deadline for the whole exchange: every redirect and the full body. */
  readonly timeoutMs: number;
  /** Bytes of (decoded) body read at most; past it reading stops and the page is refused. */
  readonly maxBytes: number;
  /**
   * Connect to public internet addresses only (see address-guard.ts): for addresses given by
   * other people, never by the person running the program.
   */
  readonly publicAddressesOnly?: boolean | undefined;
}

export interface FetchedPage {
  /** The address after redirects, used to resolve links and read a date from the path. */
  readonly url: string;
  /** The body as received; jsdom decodes it (header charset, BOM or `<meta charset>`). */
  readonly body: Uint8Array;
  /** The `charset` parameter of the Content-Type header, if any. */
  readonly charset: string | undefined;
}

/**
 * Fetches an HTML page.
 * @throws IngestRefusal for an address that is not http(s), a host that cannot be reached, a 4xx
 *   or 5xx answer, too many redirects, the deadline passing, a body over the size limit, a body
 *   that is not HTML, or (with `publicAddressesOnly`) an address, or a redirect to one, that is not
 *   on the public internet.
 */
export async function fetchPage(address: string, limits: FetchLimits): Promise<FetchedPage> {
  let url = parseHttpUrl(address);
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const seconds = formatSeconds(limits.timeoutMs);
  // Loaded only when asked for: the command-line program never needs undici's own agent.
  const dispatcher = limits.publicAddressesOnly ? (await import('./address-guard.js')).createPublicOnlyDispatcher() : undefined;
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await fetch(url, {
        redirect: 'manual',
        signal,
        headers: { 'user-agent': USER_AGENT, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1' },
        ...(dispatcher ? { dispatcher } : {}),
      });
      if (REDIRECT_STATUSES.has(response.status)) {
        await response.body?.cancel();
        const location = response.headers.get('location');
        if (!location) throw new IngestRefusal('http-status', `${url.href} answered ${describeStatus(response.status)} without saying where to.`);
        if (redirects >= MAX_REDIRECTS) {
          throw new IngestRefusal('too-many-redirects', `${address} redirects more than ${MAX_REDIRECTS} times; giving up (is it a redirect loop?).`);
        }
        url = parseHttpUrl(new URL(location, url).href);
        continue;
      }
      if (response.status < 200 || response.status >= 300) {
        await response.body?.cancel();
        throw new IngestRefusal('http-status', `${url.href} answered ${describeStatus(response.status)}; nothing was added.`);
      }
      const { mediaType, charset } = parseContentType(response.headers.get('content-type'));
      if (mediaType !== undefined && !HTML_TYPES.has(mediaType)) {
        await response.body?.cancel();
        throw new IngestRefusal('not-html', `${url.href} is not a web page (its content type is ${mediaType}); give the address of the article's HTML page.`);
      }
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (declared > limits.maxBytes) {
        await response.body?.cancel();
        throw tooLarge(url.href, limits.maxBytes);
      }
      const body = await readAtMost(response, limits.maxBytes, url.href);
      if (mediaType === undefined && !looksLikeHtml(body)) {
        throw new IngestRefusal('not-html', `${url.href} did not say what it sent and it does not look like a web page; give the address of the article's HTML page.`);
      }
      return { url: url.href, body, charset };
    }
  } catch (error) {
    if (error instanceof IngestRefusal) throw error;
    const forbidden = forbiddenAddress(error);
    if (forbidden) throw new IngestRefusal('forbidden-address', `${forbidden}: only pages on the public internet can be added; nothing was added.`, { cause: error });
    if (signal.aborted) {
      throw new IngestRefusal('timeout', `${url.host} did not send the whole page within ${seconds}; nothing was added.`, { cause: error });
    }
    const code = networkErrorCode(error);
    throw new IngestRefusal('unreachable', `Could not reach ${url.host}${code ? ` (${code})` : ''}; check the address and the network.`, { cause: error });
  } finally {
    await dispatcher?.destroy();
  }
}

/** The message of the address guard's refusal when it is what made the fetch fail (fetch wraps it as `cause`). */
function forbiddenAddress(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  return cause?.code === 'EFORBIDDENADDRESS' && typeof cause.message === 'string' ? cause.message : undefined;
}

function parseHttpUrl(address: string): URL {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new IngestRefusal('bad-source', `"${address}" is not a web address or a file.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new IngestRefusal('bad-source', `Only http and https addresses can be fetched, not ${url.protocol}`);
  }
  url.hash = '';
  return url;
}

async function readAtMost(response: Response, maxBytes: number, href: string): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(href, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(href: string, maxBytes: number): IngestRefusal {
  return new IngestRefusal('too-large', `${href} is larger than ${formatMegabytes(maxBytes)}, the most this program reads (FETCH_MAX_MB); nothing was added.`);
}

/** `text/html; charset=UTF-8` → media type and charset; undefined when the header is absent. */
export function parseContentType(header: string | null): { mediaType: string | undefined; charset: string | undefined } {
  if (!header || header.trim() === '') return { mediaType: undefined, charset: undefined };
  const [type, ...params] = header.split(';');
  const charset = params
    .map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i.exec(p)?.[1])
    .find((c) => c !== undefined);
  return { mediaType: type!.trim().toLowerCase(), charset };
}

/** For a server that sends no Content-Type: an HTML document starts with a tag. */
function looksLikeHtml(body: Uint8Array): boolean {
  const head = Buffer.from(body.subarray(0, 1024)).toString('latin1').replace(/^\uFEFF|^ï»¿/, '').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || (head.startsWith('<') && /<(?:head|body|p|article)[\s>]/.test(head));
}

function describeStatus(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `${status} ${text}` : String(status);
}

/** `ENOTFOUND`, `ECONNREFUSED` …, or the reason fetch gives (e.g. "bad port" for ports browsers block). */
function networkErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return typeof cause?.message === 'string' && cause.message.length <= 60 ? cause.message : undefined;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 && Number.isInteger(mb) ? `${mb} MB` : mb >= 1 ? `${mb.toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}
