import type { IncomingMessage } from 'node:http';
import { isTrustedAddress, unmapped } from './peer-address';

/**
 * The header the production entry sets on every request it passes on (Next and the vehicle
 * API) with the client's address as it determined it; whatever a client sent under that name
 * is replaced. Read by the sign-in throttle and the vehicle API's per-address limits.
 */
export const CLIENT_IP_HEADER = 'x-ota-client-ip';


/**
 * The client's address: the socket's peer, or, when the peer is one of TRUSTED_PROXIES (IPs or CIDRs), the
 * right-most X-Forwarded-For entry that is not a trusted proxy (entries further left were
 * written by the client and prove nothing).
 */
export function clientAddressOf(req: IncomingMessage, trustedProxies: readonly string[]): string {
  const peer = unmapped(req.socket.remoteAddress ?? 'unknown');
  if (!isTrustedAddress(peer, trustedProxies)) return peer;
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => unmapped(s.trim()))
    .filter(Boolean);
  for (let i = forwarded.length - 1; i >= 0; i--) if (!isTrustedAddress(forwarded[i]!, trustedProxies)) return forwarded[i]!;
  return forwarded[0] ?? peer;
}

/** True when the request reached us over https: a trusted proxy says so in X-Forwarded-Proto, or the socket is TLS. */
export function cameOverHttps(req: IncomingMessage, trustedProxies: readonly string[]): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  const peer = unmapped(req.socket.remoteAddress ?? '');
  return isTrustedAddress(peer, trustedProxies) && String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim().toLowerCase() === 'https';
}
