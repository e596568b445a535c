import { getConfig } from '../config';
import { fromTrustedProxy } from '../http/peer-address';

/**
 * The names of the client certificate that the mutual-TLS proxy verified, read from
 * MTLS_IDENTITY_HEADER — only when the request's TCP peer is one of TRUSTED_PROXIES (from
 * anyone else the header is ignored, whatever it says). Null: no trusted proxy named one.
 *
 * The header holds the certificate's subject and/or subject alternative names, as proxies
 * commonly pass them: a subject DN (`CN=VIN123,O=Acme`, nginx's `$ssl_client_s_dn`, or the
 * `/O=Acme/CN=VIN123` form), SAN entries (`DNS:VIN123`, `URI:urn:vin:VIN123`, also with `=`),
 * or just the VIN. Several values may be separated by `,` or `;`. The names are the CN values,
 * the DNS/URI SAN values (a `urn:vin:` prefix dropped) and bare values.
 */
export function certificateNamesOf(req: Request): string[] | null {
  const config = getConfig();
  if (config.vehicleAuth !== 'mtls-header' || !config.MTLS_IDENTITY_HEADER) return null;
  const value = req.headers.get(config.MTLS_IDENTITY_HEADER);
  if (value === null || !fromTrustedProxy(req, config.TRUSTED_PROXIES)) return null;
  return parseCertificateNames(value);
}

export function parseCertificateNames(value: string): string[] {
  const names: string[] = [];
  for (const part of value.split(/[,;/]/).map((p) => p.trim()).filter(Boolean)) {
    const match = /^([A-Za-z]+)\s*[:=]\s*(.*)$/.exec(part);
    if (!match) {
      names.push(part);
      continue;
    }
    const kind = match[1]!.toUpperCase();
    const name = match[2]!.trim();
    if (kind === 'CN' || kind === 'DNS') names.push(name);
    else if (kind === 'URI') names.push(name.replace(/^urn:vin:/i, ''));
  }
  return names;
}
