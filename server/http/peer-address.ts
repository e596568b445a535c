import { BlockList, isIP } from 'node:net';

/**
 * The TCP peer of a request, for the handlers that take a plain Web Request. The node adapter
 * (node-adapter.ts: `npm start`, the lean vehicle server, the tests) records the socket's remote
 * address here for each Request it builds; nothing a client sends can set it. Requests that
 * Next.js serves (`npm run dev`) have no entry: their peer is unknown, and an unknown peer is
 * never a trusted proxy.
 */
const PEERS = Symbol.for('ota.peer-addresses');
// On globalThis: the production entry's own modules and Next's bundle are different module instances.
const peers: WeakMap<Request, string> = ((globalThis as typeof globalThis & { [PEERS]?: WeakMap<Request, string> })[PEERS] ??= new WeakMap());

export function setPeerAddress(req: Request, address: string | undefined): void {
  if (address) peers.set(req, address);
}

export function peerAddressOf(req: Request): string | null {
  return peers.get(req) ?? null;
}

/** `::ffff:10.0.0.5` is 10.0.0.5. */
export const unmapped = (address: string) => (address.toLowerCase().startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address);

const lists = new Map<string, BlockList>();

/** A BlockList of TRUSTED_PROXIES' IPs and CIDRs (config.ts has validated them), built once per list. */
function listOf(entries: readonly string[]): BlockList {
  const key = entries.join(',');
  let list = lists.get(key);
  if (list) return list;
  list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  lists.set(key, list);
  return list;
}

/** True when `address` is one of `trusted` (IPs or CIDRs, TRUSTED_PROXIES). */
export function isTrustedAddress(address: string, trusted: readonly string[]): boolean {
  if (!trusted.length || !address) return false;
  const plain = unmapped(address);
  const family = isIP(plain);
  if (!family) return false;
  return listOf(trusted).check(plain, family === 6 ? 'ipv6' : 'ipv4');
}

/** True when the request came straight from one of `trusted`. */
export function fromTrustedProxy(req: Request, trusted: readonly string[]): boolean {
  const peer = peerAddressOf(req);
  return !!peer && isTrustedAddress(peer, trusted);
}
