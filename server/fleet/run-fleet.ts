import { lightPoster } from './light-post';
import { classifyEvent } from '../vehicle-protocol/classify';
import { runVehicleUpdate } from '../simulator/vehicle-simulator';

/** Latencies and outcomes of every request a fleet made, by request type (C_03, C_36, C_05, C_15, download, …). */
export class FleetStats {
  readonly latencies = new Map<string, number[]>();
  requests = 0;
  serverErrors = 0;
  /** Events the server answered for with a result (stored or already stored). */
  eventsAcknowledged = 0;
  completed = 0;
  failed = 0;
  polls = 0;
  errors: string[] = [];

  record(type: string, ms: number, status: number): void {
    this.requests++;
    if (status >= 500) this.serverErrors++;
    let list = this.latencies.get(type);
    if (!list) this.latencies.set(type, (list = []));
    list.push(ms);
  }

  percentiles(): { type: string; count: number; p50: number; p99: number }[] {
    return [...this.latencies]
      .map(([type, list]) => {
        const sorted = [...list].sort((a, b) => a - b);
        const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
        return { type, count: sorted.length, p50: at(0.5), p99: at(0.99) };
      })
      .sort((a, b) => a.type.localeCompare(b.type));
  }
}

const pathTypes: Record<string, string> = {
  '/api/ota/v1/action': 'C_03',
  '/api/ota/v1/command': 'C_36',
  '/api/ota/v1/config': 'C_05',
  '/api/ota/v1/campaign-validity': 'C_18',
  '/api/ota/v1/log-upload-url': 'C_37',
  '/api/ota/v1/log-upload-complete': 'C_39',
};

/**
 * fetch, timed per request type; notification answers are read to count the events the server
 * acknowledged. A POST with a JSON text body (every vehicle message) goes through `post`.
 */
export function instrumentedFetch(stats: FleetStats, post = lightPoster(1024)): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    let type = pathTypes[url.pathname] ?? (url.pathname.startsWith('/cdn/') ? 'download' : url.pathname);
    let events = 0;
    if (url.pathname === '/api/ota/v1/notification' && typeof init?.body === 'string') {
      const sent = JSON.parse(init.body).signed.events as { eventsType: string; status: string }[];
      events = sent.length;
      type = sent.length === 1 ? (classifyEvent(sent[0]!.eventsType, sent[0]!.status) ?? 'notification') : 'notification';
    }
    const t0 = performance.now();
    let res: Response;
    const light = init?.method === 'POST' && typeof init.body === 'string';
    try {
      res = light ? await post(url, init.body as string, { 'content-type': 'application/json' }) : await fetch(input, init);
    } catch (error) {
      stats.record(type, performance.now() - t0, 0);
      throw error;
    }
    if (type === 'download') {
      // The simulator streams and hashes the body: time the whole transfer.
      const bytes = await res.arrayBuffer();
      stats.record(type, performance.now() - t0, res.status);
      return new Response(bytes, { status: res.status, headers: res.headers });
    }
    const text = await res.text();
    stats.record(type, performance.now() - t0, res.status);
    if (events && res.ok) {
      const results = (JSON.parse(text)?.signed?.body?.results ?? []) as { result?: string }[];
      stats.eventsAcknowledged += results.filter((r) => r.result).length;
    }
    return light ? res : new Response(text, { status: res.status, headers: res.headers });
  };
}

export type FleetRunOptions = {
  url: string;
  vins: string[];
  concurrency: number;
  /** Share (0…1) of vehicles that fail, half at download and half at activation. */
  failRate: number;
  errorCode: number;
  /** How long a vehicle whose wave is not released yet waits before it polls again. */
  pollIntervalMs: number;
  /** Give up on vehicles still waiting after this long. */
  timeoutMs: number;
  onProgress?: (stats: FleetStats, state: { done: number; waiting: number; total: number }) => void;
  /** Stops handing out vehicles (e.g. the campaign suspended itself): those in flight finish, the rest stay unfinished. */
  signal?: AbortSignal;
  progressEveryMs?: number;
};

type Pending = { vin: string; notBefore: number; fail?: { at: 'download' | 'activation'; code: number } };

/**
 * Runs each vehicle through the seed protocol (runVehicleUpdate: C_03, C_36, C_18, C_05,
 * download with sha256 check, every event) with at most `concurrency` vehicles talking at once.
 * A vehicle told "None" (its wave is not released yet) goes back in line and polls again later.
 */
export async function runFleet(options: FleetRunOptions): Promise<{ stats: FleetStats; elapsedMs: number; unfinished: number }> {
  const stats = new FleetStats();
  const doFetch = instrumentedFetch(stats);
  const queue: Pending[] = options.vins.map((vin) => ({
    vin,
    notBefore: 0,
    fail: Math.random() < options.failRate ? { at: Math.random() < 0.5 ? 'download' : 'activation', code: options.errorCode } : undefined,
  }));
  let head = 0;
  let done = 0;
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  const timer = setInterval(() => options.onProgress?.(stats, { done, waiting: queue.length - head, total: options.vins.length }), options.progressEveryMs ?? 5000);

  async function worker(): Promise<void> {
    while (done < options.vins.length && performance.now() < deadline && !options.signal?.aborted) {
      if (head >= queue.length) {
        // Everyone left is in flight; one of them may come back to wait for its wave.
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const next = queue[head++]!;
      const wait = next.notBefore - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      try {
        const result = await runVehicleUpdate({ baseUrl: options.url, vin: next.vin, fail: next.fail, progressReports: 3, fetch: doFetch });
        if (result.outcome === 'nothing-to-do') {
          stats.polls++;
          queue.push({ ...next, notBefore: Date.now() + options.pollIntervalMs * (0.5 + Math.random()) });
          continue;
        }
        if (result.outcome === 'completed') stats.completed++;
        else stats.failed++;
        if (result.downloads.some((d) => !d.verified)) stats.errors.push(`${next.vin}: download did not verify`);
      } catch (error) {
        stats.errors.push(`${next.vin}: ${error instanceof Error ? error.message : String(error)}`);
      }
      done++;
    }
  }
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    clearInterval(timer);
  }
  return { stats, elapsedMs: performance.now() - started, unfinished: options.vins.length - done };
}
