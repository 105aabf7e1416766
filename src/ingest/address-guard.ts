import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector, type Dispatcher } from 'undici';

/**
 * Fetching only from the public internet, for a program that fetches addresses other people give
 * it (the Discord command adding an article): a page must not be read from the machine itself
 * (loopback), the local network (private, link-local, unique-local) or the cloud provider's
 * metadata service (169.254.169.254, fd00:ec2::254), which would let anyone who can run the
 * command probe what only the bot's host can reach.
 *
 * The check is made where the connection is made, on the address actually connected to: for
 * every redirect hop, and after DNS resolution, so a name that resolves to a public address when
 * checked and to a private one when connected to (DNS rebinding) gains nothing.
 */

/** Why a connection was refused; fetch-page.ts turns it into a refusal for the user. */
export class ForbiddenAddressError extends Error {
  override name = 'ForbiddenAddressError';
  readonly code = 'EFORBIDDENADDRESS';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(`${host} resolves to ${address}, a ${describeRange(range)} address`);
  }
}

/**
 * The IANA special-purpose range an address falls in (`loopback`, `private`, `linkLocal`,
 * `uniqueLocal`, `carrierGradeNat`, `reserved`, …), or `unicast` for an ordinary public address.
 * An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 address it is.
 * ipaddr.js keeps the table of ranges (it is what Express uses to judge proxy addresses).
 */
export function addressRange(address: string): string {
  return ipaddr.process(address.replace(/^\[|\]$/g, '')).range();
}

/** True for an address on the public internet. */
export function isPublicAddress(address: string): boolean {
  return addressRange(address) === 'unicast';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** `dns.lookup` that fails with ForbiddenAddressError when any address of the name is not allowed. */
function guardedLookup(isAllowed: (address: string) => boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      // Every address must pass: a client may connect to any of them (happy eyeballs).
      const forbidden = addresses.find((a) => !isAllowed(a.address));
      if (forbidden) return callback(new ForbiddenAddressError(hostname, forbidden.address, addressRange(forbidden.address)) as NodeJS.ErrnoException, []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/**
 * An HTTP dispatcher (for `fetch`'s `dispatcher` option) that connects only to addresses
 * `isAllowed` accepts — public ones by default: an address written in the URL is checked as it
 * is, a name after resolving it, on every connection (so on every redirect hop).
 */
export function createPublicOnlyDispatcher(isAllowed: (address: string) => boolean = isPublicAddress): Dispatcher {
  const connect = buildConnector({ lookup: guardedLookup(isAllowed) as never });
  return new Agent({
    connect(options, callback) {
      // A literal address is connected to without a lookup, so it is checked here.
      const host = options.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) && !isAllowed(host)) {
        callback(new ForbiddenAddressError(host, host, addressRange(host)), null);
        return;
      }
      connect(options, callback);
    },
  });
}

function describeRange(range: string): string {
  switch (range) {
    case 'loopback':
      return 'loopback (this machine)';
    case 'private':
    case 'uniqueLocal':
      return 'private-network';
    case 'linkLocal':
      return 'link-local (including cloud metadata services)';
    case 'carrierGradeNat':
      return 'shared (carrier-grade NAT)';
    case 'unspecified':
      return 'unspecified';
    default:
      return `non-public (${range})`;
  }
}
