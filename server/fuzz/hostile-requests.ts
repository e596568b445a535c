import { Agent, request as httpRequest } from 'node:http';
import { loadSeedExamples } from '../vehicle-protocol/fixtures/seed-examples';

// Hostile requests for `npm run fuzz` and its CI test: random methods, paths, escapes and
// bodies (huge, deeply nested, lone surrogates, non-finite numbers, wrong types, invalid
// UTF-8, the seed's own examples mutated), sent over real HTTP. A seeded generator makes a
// failing run repeatable with --seed.

export type HostileRequest = { method: string; path: string; headers: Record<string, string>; body?: Buffer };
export type FuzzOutcome = { status: number | 'network-error'; request: HostileRequest; detail?: string };
export type FuzzReport = { byStatus: Map<string, number>; failures: FuzzOutcome[]; took: number };

/** mulberry32: small, fast, seedable. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const METHODS = ['GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'HEAD', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'PROPFIND', 'MKCOL', 'FOO'];
const VEHICLE_PATHS = [
  '/api/ota/v1/notification', '/api/ota/v1/action', '/api/ota/v1/config', '/api/ota/v1/config-digest', '/api/ota/v1/campaign-validity',
  '/api/ota/v1/command', '/api/ota/v1/log-upload-url', '/api/ota/v1/log-upload-complete', '/api/ota/v1/C_01', '/api/ota/v1/C_03',
  '/api/ota/v1/C_05', '/api/ota/v1/C_12', '/api/ota/v1/C_28', '/api/ota/v1/C_36', '/api/ota/v1/C_99', '/api/ota/v1/server-key',
  '/api/ota/v1/log-uploads/{id}', '/cdn/v1/campaigns/{id}/repro-policy', '/cdn/v1/campaigns/{id}/download-metadata',
  '/cdn/v1/campaigns/{id}/hmi', '/cdn/v1/software-packages/{id}', '/cdn/v1/vehicle-packages/{id}', '/api/health',
];
const DASHBOARD_PATHS = ['/', '/signin', '/vehicles', '/vehicles/{id}', '/campaigns/{id}', '/packages', '/api/trpc/vehicles.list', '/api/auth/session', '/api/auth/csrf', '/api/vehicles.csv', '/api/logs/{id}', '/_next/static/{id}', '/nothing/here'];
const IDS = ['1', '2', '0', '-1', '999999999999', 'abc', '..', '%2e%2e', '%00', '%zz', '%E0%A4%A', '%F0%9F%9A%97', '1;drop', "'", '"', '<script>', 'a'.repeat(300)];
const ESCAPES = ['%', '%z', '%zz', '%E0%A4%A', '%C0%AF', '%FF', '%00', '%2F', '%5C', '%u0041', '%%', '%25', '%0d%0aX-Injected:%201'];
const VINS = ['vinUpdate20231008', 'vinUpdate20231009', 'UNKNOWN0000000001', '', ' ', 'a'.repeat(200), '../etc/passwd', '\u0000', 'é', 12345, null, [], {}];
const HOSTILE_STRINGS = ['\\ud800', '\\udfff', '\\ud800\\u0041', '\\u0000', '\u2028', '\uffff', '\u{1F697}', '%s%s%n', "'; drop table events; --", '${7*7}', '<img src=x onerror=alert(1)>', 'x'.repeat(70_000)];
const HOSTILE_NUMBERS = ['1e309', '-1e309', '1e-400', '-0', '9007199254740993', '2147483648', '1.5', '0x10', 'NaN', 'Infinity', '1e16', '-5'];

/** A JSON value of the wrong kind for wherever it lands. */
function wrongValue(r: Rng): string {
  return r.pick([
    () => `"${r.pick(HOSTILE_STRINGS)}"`,
    () => r.pick(HOSTILE_NUMBERS),
    () => 'null',
    () => 'true',
    () => '[]',
    () => '{}',
    () => `${'['.repeat(10 + r.int(3000))}${']'.repeat(0)}`,
    () => `${'['.repeat(100 + r.int(5000))}1${']'.repeat(5000)}`.slice(0, 20_000),
    () => `${'{"a":'.repeat(70 + r.int(3000))}1${'}'.repeat(3100)}`,
  ])();
}

/** One of the seed's example bodies with some of its values replaced by hostile ones. */
function mutatedSeed(r: Rng, seeds: string[]): string {
  let text = r.pick(seeds);
  const edits = 1 + r.int(4);
  for (let i = 0; i < edits; i++) {
    const choice = r.int(5);
    if (choice === 0) text = text.replace(/"vinUpdate\d+"/, JSON.stringify(r.pick(VINS)));
    else if (choice === 1) {
      // Replace a random scalar value after a colon.
      const spots = [...text.matchAll(/:\s*("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)/g)];
      const spot = spots.length ? r.pick(spots) : undefined;
      if (spot) text = text.slice(0, spot.index) + ': ' + wrongValue(r) + text.slice(spot.index + spot[0].length);
    } else if (choice === 2) text = text.slice(0, r.int(text.length));
    else if (choice === 3) text = text.replace(/\{/, `{"${r.pick(HOSTILE_STRINGS)}": ${wrongValue(r)}, `);
    else text = text.replace(/"(\w+)":/, (_, key: string) => `"${key}${r.pick(['\\ud800', '', ' ', '\\u0000'])}":`);
  }
  return text;
}

function body(r: Rng, seeds: string[]): Buffer | undefined {
  switch (r.int(12)) {
    case 0:
      return undefined;
    case 1:
      return Buffer.alloc(0);
    case 2: // huge: just over the 1 MiB limit, or several MiB
      return Buffer.alloc(r.pick([1024 * 1024 + 1, 2 * 1024 * 1024, 4 * 1024 * 1024]), r.pick(['a', '[', '{', ' ']));
    case 3: // invalid UTF-8 and raw control bytes
      return Buffer.concat([Buffer.from('{"signed": {"vin": "'), Buffer.from([0xc0, 0xaf, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x00]), Buffer.from('", "primaryId": "0"}}')]);
    case 4:
      return Buffer.from(wrongValue(r));
    case 5:
      return Buffer.from(`{"signed": {"vin": "vinUpdate20231008", "primaryId": "0", "events": [{"eventsUuid": "fz", "eventsType": "download", "status": "x", "currentTime": {"time": ${r.pick(HOSTILE_NUMBERS)}}, "downloadExtras": {"bytesDownloaded": ${r.pick(HOSTILE_NUMBERS)}, "downloadSize": ${r.pick(HOSTILE_NUMBERS)}}, "text": "${r.pick(HOSTILE_STRINGS)}"}]}}`);
    default:
      return Buffer.from(mutatedSeed(r, seeds));
  }
}

function path(r: Rng): string {
  const template = r.next() < 0.75 ? r.pick(VEHICLE_PATHS) : r.pick(DASHBOARD_PATHS);
  let p = template.replace('{id}', () => r.pick(IDS));
  const twist = r.int(10);
  if (twist === 0) p = p.slice(0, 1 + r.int(p.length)) + r.pick(ESCAPES) + p.slice(1 + r.int(p.length));
  else if (twist === 1) p = p.replace('/', '//');
  else if (twist === 2) p += `?vin=${r.pick(['vinUpdate20231008', '%zz', '', 'x'.repeat(5000)])}&expires=${r.pick(['1', '9999999999', 'abc'])}&signature=${r.pick(['00', 'zz', ''])}`;
  else if (twist === 3) p = p.replace(/\/[^/]*$/, '/..' + r.pick(['', '/', '%2f']) + 'x');
  else if (twist === 4) p = p + '/' + 'a'.repeat(r.pick([10, 2000, 8000]));
  else if (twist === 5) p = p.toUpperCase();
  return p;
}

/** `count` hostile requests from `seed`. */
export function hostileRequests(count: number, seed = 1): HostileRequest[] {
  const r = rng(seed);
  const seeds = loadSeedExamples().map((e) => e.request);
  return Array.from({ length: count }, () => {
    const method = r.pick(METHODS);
    const headers: Record<string, string> = {};
    if (r.next() < 0.5) headers['content-type'] = r.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']);
    if (r.next() < 0.1) headers['x-forwarded-for'] = r.pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1']);
    if (r.next() < 0.05) headers['range'] = r.pick(['bytes=0-', 'bytes=999999999-', 'bytes=abc', 'bytes=5-1']);
    return { method, path: path(r), headers, body: method === 'GET' || method === 'HEAD' ? undefined : body(r, seeds) };
  });
}

/** Sends one request and resolves with its status (its body read and dropped). */
function send(base: URL, agent: Agent, req: HostileRequest, timeoutMs: number): Promise<FuzzOutcome> {
  return new Promise((resolve) => {
    const outgoing = httpRequest(
      { host: base.hostname, port: base.port, method: req.method, path: req.path, headers: { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) }, agent, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.length < 4 && chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, request: req, detail: Buffer.concat(chunks).toString('utf8').slice(0, 300) }));
        res.on('error', (error) => resolve({ status: 'network-error', request: req, detail: error.message }));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', (error) => resolve({ status: 'network-error', request: req, detail: `${(error as { code?: string }).code ?? ''} ${error.message}` }));
    outgoing.end(req.body);
  });
}

/**
 * Sends the requests, `concurrency` at a time, and counts answers by status. A failure is any
 * 5xx (503 too, unless `allowUnavailable`: a deliberate outage) or a request that got no
 * answer at all (reset, hang).
 */
export async function runFuzz(url: string, requests: HostileRequest[], { concurrency = 16, allowUnavailable = false, timeoutMs = 30_000 } = {}): Promise<FuzzReport> {
  const base = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const byStatus = new Map<string, number>();
  const failures: FuzzOutcome[] = [];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const outcome = await send(base, agent, requests[next++]!, timeoutMs);
      const key = String(outcome.status);
      byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
      const bad = outcome.status === 'network-error' || (outcome.status >= 500 && !(allowUnavailable && outcome.status === 503));
      if (bad) failures.push(outcome);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return { byStatus, failures, took: performance.now() - started };
}

/** The report as lines: counts by status, then up to `shown` failures. */
export function describeReport(report: FuzzReport, shown = 10): string {
  const counts = [...report.byStatus.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([status, n]) => `  ${status}: ${n}`);
  const total = [...report.byStatus.values()].reduce((a, b) => a + b, 0);
  const lines = [`${total} requests in ${(report.took / 1000).toFixed(1)} s; by status:`, ...counts, `failures (5xx or no answer): ${report.failures.length}`];
  const worstFirst = [...report.failures].sort((a, b) => (a.status === 'network-error' ? 1 : 0) - (b.status === 'network-error' ? 1 : 0));
  for (const f of worstFirst.slice(0, shown)) {
    lines.push(`  ${f.status} ${f.request.method} ${f.request.path.slice(0, 120)} body=${f.request.body?.length ?? 0}B ${JSON.stringify(f.request.body?.subarray(0, 80).toString('latin1') ?? '')} -> ${f.detail ?? ''}`);
  }
  return lines.join('\n');
}
