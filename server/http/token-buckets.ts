/**
 * Token buckets, one per key, holding at most a minute's allowance and refilled continuously.
 * They live in this process's memory: the limits are PER INSTANCE (N instances behind a load
 * balancer let a client through N times as often), and a restart forgets them, which is
 * harmless. That keeps a database query off the poll hot path.
 */
export class TokenBuckets {
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

  /** Like take, without taking: 0 when `key` has a token left, else the seconds until it has. */
  wait(key: string, now = Date.now()): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return 0;
    const rate = this.perMinute / 60_000;
    const tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * rate);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / rate / 1000);
  }

  /** Drops the buckets that have refilled (they hold nothing a new bucket would not). */
  private forgetFull(now: number): void {
    const rate = this.perMinute / 60_000;
    for (const [key, b] of this.buckets) if (b.tokens + (now - b.at) * rate >= this.perMinute) this.buckets.delete(key);
  }
}
