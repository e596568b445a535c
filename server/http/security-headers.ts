import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The Content-Security-Policy of a dashboard page. Scripts run only with this response's nonce
 * (Next reads the nonce from the request's own `content-security-policy` header and puts it on
 * every script it renders) or when such a script loads them ('strict-dynamic'). Styles allow
 * 'unsafe-inline': React and recharts set style attributes, which a nonce cannot cover.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self' data:`,
    `connect-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

/** Two years, as HSTS preload lists ask. */
const HSTS = 'max-age=63072000; includeSubDomains';

/**
 * Sets the security headers on a dashboard response before Next writes it, and the policy
 * (with a fresh nonce) on the request for Next to read. `https`: the request came over https
 * (a trusted proxy's X-Forwarded-Proto, or PUBLIC_URL is https), so HSTS is sent.
 */
export function secureDashboardResponse(req: IncomingMessage, res: ServerResponse, https: boolean): void {
  const policy = contentSecurityPolicy(randomBytes(16).toString('base64'));
  req.headers['content-security-policy'] = policy;
  res.setHeader('content-security-policy', policy);
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
  if (https) res.setHeader('strict-transport-security', HSTS);
}

/** Vehicle answers are JSON or files: never sniffed into something else. */
export function secureVehicleResponse(res: ServerResponse, https: boolean): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  if (https) res.setHeader('strict-transport-security', HSTS);
}
