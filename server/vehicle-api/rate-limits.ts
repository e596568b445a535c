import { getConfig } from '../config';
import { DomainError } from '../errors';
import { CLIENT_IP_HEADER } from '../http/client-ip';

/**
 * Token buckets, one per key, holding at most a minute's allowance and refilled continuously.
 * They live in this process's memory: the limits are PER INSTANCE (N instances behind a load
 * balancer let a client through N times as often), and a restart forgets them, which is
 * harmless. That keeps a database query off the poll hot path.
 */
class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly perMinute: number) {}

  /** 0 when `key` may go ahead (a token is taken), else the seconds until it may. */
  take(key: string, now = Date.now()): number {
    const rate = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      return Math.ceil((1 - bucket.tokens) / rate / 1000);
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 100_000) this.forgetFull(now);
    return 0;
  }

  /** Drops the buckets that have refilled (they hold nothing a new bucket would not). */
  private forgetFull(now: number): void {
    const rate = this.perMinute / 60_000;
    for (const [key, b] of this.buckets) if (b.tokens + (now - b.at) * rate >= this.perMinute) this.buckets.delete(key);
  }
}

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
