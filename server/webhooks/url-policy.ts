import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { lookup as lookupCallback } from 'node:dns';
import { DomainError, invalid } from '../errors';

/** Loopback, private, link-local, carrier-grade NAT, multicast and reserved ranges: not the internet. */
const privateRanges = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) privateRanges.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) privateRanges.addSubnet(net, prefix, 'ipv6');

/** Whether an address is loopback, private, link-local or otherwise not a public host (IPv4-mapped IPv6 as its IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return privateRanges.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return privateRanges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Parses a webhook URL: http or https, no credentials in it. Throws INVALID_REQUEST. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(`${raw} is not a URL; give an absolute http:// or https:// URL`, [{ path: 'url', message: 'not a URL' }]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`A webhook URL must be http:// or https://, not ${url.protocol}`, [{ path: 'url', message: 'http or https only' }]);
  if (url.username || url.password) throw invalid('A webhook URL may not carry a user name or password; use the signature to authenticate', [{ path: 'url', message: 'no credentials in the URL' }]);
  return url;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * At registration: every address the host resolves to must be public unless private networks
 * are allowed (WEBHOOK_ALLOW_PRIVATE_NETWORKS). A host that does not resolve is refused.
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  const url = parseWebhookUrl(raw);
  if (allowPrivate) return url;
  const host = hostOf(url);
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    throw invalid(`The host ${host} does not resolve; nothing was registered`, [{ path: 'url', message: 'host does not resolve' }]);
  }
  const blocked = addresses.filter(isPrivateAddress);
  if (blocked.length) throw privateRefusal(host, blocked);
  return url;
}

const privateRefusal = (host: string, addresses: string[]) =>
  new DomainError('INVALID_REQUEST', `${host} resolves to a loopback, private or link-local address (${addresses.join(', ')}); webhooks go to public hosts unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true`, [
    { path: 'url', message: 'private network address' },
  ]);

/**
 * At send time, the socket's own lookup: resolves the host and refuses the connection when any
 * address is private, so a name that re-resolves to an internal address after registration
 * (DNS rebinding) gets nowhere. The connection goes to an address that was checked.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookupCallback(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as unknown as { address: string; family: number }[];
      const blocked = allowPrivate ? [] : list.filter((a) => isPrivateAddress(a.address));
      if (blocked.length) return callback(privateRefusal(hostname, blocked.map((a) => a.address)) as NodeJS.ErrnoException, '', 0);
      if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

/** For an IP-literal URL Node skips the lookup: the sender checks the literal itself. */
export function literalAddressRefused(url: URL, allowPrivate: boolean): string | null {
  const host = hostOf(url);
  if (allowPrivate || !isIP(host) || !isPrivateAddress(host)) return null;
  return privateRefusal(host, [host]).message;
}
