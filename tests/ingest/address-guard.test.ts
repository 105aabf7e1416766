import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressRange, createPublicOnlyDispatcher, isPublicAddress } from '../../src/ingest/address-guard.js';
import { fetchPage, IngestRefusal, type RefusalReason } from '../../src/ingest/index.js';
import { fixture, redirect, startNewsServer, type NewsServer } from '../support/news-server.js';

/**
 * Fetching for other people (the Discord command) reaches the public internet only: never this
 * machine, the local network or a cloud metadata service — checked on the address connected to,
 * for every connection, redirects included.
 */

let server: NewsServer;
beforeAll(async () => {
  server = await startNewsServer({ '/story': fixture('wsws-like.html'), '/hop': redirect('http://127.0.0.2/inside') });
});
afterAll(async () => server?.close());

const LIMITS = { timeoutMs: 5_000, maxBytes: 1024 * 1024 };

async function refusal(address: string): Promise<{ reason: RefusalReason; message: string }> {
  try {
    await fetchPage(address, { ...LIMITS, publicAddressesOnly: true });
  } catch (error) {
    if (error instanceof IngestRefusal) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error(`${address} was fetched`);
}

describe('which addresses are public', () => {
  it('refuses loopback, private, link-local (metadata), shared, unique-local and unspecified addresses, also written as IPv6', () => {
    const ranges = Object.fromEntries(
      ['127.0.0.1', '10.0.0.8', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.100.100.200', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00:ec2::254', '::ffff:127.0.0.1', '[::ffff:169.254.169.254]'].map((a) => [a, addressRange(a)]),
    );
    expect(ranges).toEqual({
      '127.0.0.1': 'loopback',
      '10.0.0.8': 'private',
      '172.16.5.4': 'private',
      '192.168.1.1': 'private',
      '169.254.169.254': 'linkLocal',
      '100.100.100.200': 'carrierGradeNat',
      '0.0.0.0': 'unspecified',
      '::1': 'loopback',
      '::': 'unspecified',
      'fe80::1': 'linkLocal',
      'fd00:ec2::254': 'uniqueLocal',
      '::ffff:127.0.0.1': 'loopback',
      '[::ffff:169.254.169.254]': 'linkLocal',
    });
    for (const address of Object.keys(ranges)) expect(isPublicAddress(address)).toBe(false);
  });

  it('allows ordinary public addresses', () => {
    for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111']) expect(isPublicAddress(address)).toBe(true);
  });
});

describe('fetchPage with publicAddressesOnly', () => {
  it('refuses an address on this machine, by number or by name, without sending it a request', async () => {
    const before = server.requests.length;
    const localhost = server.url.replace('127.0.0.1', 'localhost');
    expect(await refusal(`${server.url}/story`)).toEqual({
      reason: 'forbidden-address',
      message: '127.0.0.1 resolves to 127.0.0.1, a loopback (this machine) address: only pages on the public internet can be added; nothing was added.',
    });
    expect((await refusal(`${localhost}/story`)).message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a loopback \(this machine\) address/);
    expect(server.requests.length).toBe(before);
  });

  it('refuses the cloud metadata service and private networks without connecting', async () => {
    expect(await refusal('http://169.254.169.254/latest/meta-data/')).toEqual({
      reason: 'forbidden-address',
      message: '169.254.169.254 resolves to 169.254.169.254, a link-local (including cloud metadata services) address: only pages on the public internet can be added; nothing was added.',
    });
    expect((await refusal('http://[fd00:ec2::254]/')).reason).toBe('forbidden-address');
    expect((await refusal('http://192.168.0.1/router')).message).toMatch(/a private-network address/);
  });

  it('fetches from this machine when not asked to keep to public addresses (the command-line program)', async () => {
    const page = await fetchPage(`${server.url}/story`, LIMITS);
    expect(page.body.byteLength).toBeGreaterThan(1000);
  });
});

describe('the guard is on every connection', () => {
  it('refuses a redirect from an allowed address to one that is not', async () => {
    // Allowed here: this test server's address only, so its redirect to 127.0.0.2 must be refused.
    const dispatcher = createPublicOnlyDispatcher((address) => address === '127.0.0.1');
    try {
      const error = await fetch(`${server.url}/hop`, { dispatcher } as RequestInit).then(
        () => undefined,
        (e: unknown) => e as { cause?: { code?: string; message?: string } },
      );
      expect(error?.cause).toMatchObject({ code: 'EFORBIDDENADDRESS', message: '127.0.0.2 resolves to 127.0.0.2, a loopback (this machine) address' });
      expect(server.requests.at(-1)?.path).toBe('/hop');
    } finally {
      await dispatcher.destroy();
    }
  });
});
