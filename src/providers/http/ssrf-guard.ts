import ipaddr from 'ipaddr.js';
import { LookupAddress, LookupOptions, lookup } from 'node:dns';
import { isIP } from 'node:net';

export class PrivateTargetError extends Error {
  readonly code = 'private_target';
  constructor(message: string) {
    super(message);
    this.name = 'PrivateTargetError';
  }
}

/**
 * Only globally routable unicast addresses. IPv4-mapped IPv6 is judged as the IPv4 it carries; the
 * deprecated IPv4-compatible form (`::127.0.0.1`, first 96 bits zero) is never public.
 */
export function isPublicAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  let address = ipaddr.parse(ip);
  if (address instanceof ipaddr.IPv6) {
    if (address.isIPv4MappedAddress()) address = address.toIPv4Address();
    else if (address.parts.slice(0, 6).every((part) => part === 0)) return false;
  }
  return address.range() === 'unicast';
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** Refuses a URL whose host is an IP literal in a private range (WHATWG parsing has already turned 0x7f000001 and 2130706433 into 127.0.0.1). */
export function assertPublicLiteral(url: URL): void {
  const host = hostOf(url);
  if (isIP(host) && !isPublicAddress(host)) {
    throw new PrivateTargetError(`${host} is a private, loopback, link-local or reserved address`);
  }
}

/** Resolves a URL's host now and refuses it if any address it resolves to is not public. */
export async function assertPublicUrl(url: URL): Promise<void> {
  assertPublicLiteral(url);
  const host = hostOf(url);
  if (isIP(host)) return;
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
    lookup(host, { all: true }, (error, found) => (error ? reject(error) : resolve(found))),
  );
  const blocked = addresses.find((a) => !isPublicAddress(a.address));
  if (blocked) throw new PrivateTargetError(`${host} resolves to ${blocked.address}, which is not a public address`);
}

/** Why a URL someone typed may not be a target (https only, public addresses only), or undefined. */
export async function publicUrlProblem(url: URL): Promise<string | undefined> {
  if (url.protocol !== 'https:') return 'must be an https:// URL';
  try {
    await assertPublicUrl(url);
    return undefined;
  } catch (error) {
    if (error instanceof PrivateTargetError) return `is refused: ${error.message}`;
    return `cannot be resolved: ${(error as Error).message}`;
  }
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A dns.lookup for sockets that only yields public addresses. The socket connects to the address
 * checked here, so a second resolution cannot swap in a private one.
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { all: true, family: options.family }, (error, addresses) => {
    if (error) return callback(error, '');
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    if (blocked) {
      return callback(
        new PrivateTargetError(`${hostname} resolves to ${blocked.address}, which is not a public address`),
        '',
      );
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}
