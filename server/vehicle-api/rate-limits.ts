import { getConfig } from '../config';
import { DomainError } from '../errors';
import { CLIENT_IP_HEADER } from '../http/client-ip';
import { TokenBuckets } from '../http/token-buckets';

type Limits = { perVin: number; perIp: number; vins: TokenBuckets; ips: TokenBuckets };
const LIMITS = Symbol.for('ota.vehicle-api.rate-limits');

function limits(): Limits {
  const g = globalThis as typeof globalThis & { [LIMITS]?: Limits };
  const { VEHICLE_RATE_LIMIT_PER_MINUTE: perVin, VEHICLE_IP_RATE_LIMIT_PER_MINUTE: perIp } = getConfig();
  // New buckets when the configuration changed (tests change it between cases).
  if (!g[LIMITS] || g[LIMITS].perVin !== perVin || g[LIMITS].perIp !== perIp) {
    g[LIMITS] = { perVin, perIp, vins: new TokenBuckets(perVin), ips: new TokenBuckets(perIp) };
  }
  return g[LIMITS];
}

const limited = (what: string, perMinute: number, seconds: number) =>
  new DomainError('RATE_LIMITED', `${what} sent more than ${perMinute} requests a minute; retry in ${seconds} s`, [], seconds);

/** Throws RATE_LIMITED when this VIN is over VEHICLE_RATE_LIMIT_PER_MINUTE (0: no limit). */
export function limitVehicle(vin: string): void {
  const l = limits();
  if (!l.perVin) return;
  const wait = l.vins.take(vin);
  if (wait) throw limited(`vehicle ${vin}`, l.perVin, wait);
}

/** Throws RATE_LIMITED when the request's client address is over VEHICLE_IP_RATE_LIMIT_PER_MINUTE (0: no limit). */
export function limitClientAddress(req: Request): void {
  const l = limits();
  const ip = req.headers.get(CLIENT_IP_HEADER);
  if (!l.perIp || !ip) return;
  const wait = l.ips.take(ip);
  if (wait) throw limited(`address ${ip}`, l.perIp, wait);
}
