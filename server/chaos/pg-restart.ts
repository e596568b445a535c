// npm run chaos:pg-restart -- [--url http://127.0.0.1:3000] [--down 5] [--concurrency 16]
//   [--stop-cmd "pg_ctlcluster 15 main stop -m fast"] [--start-cmd "pg_ctlcluster 15 main start"]
//
// Drives C_36 polls (the fleet's hot path) at a server on PostgreSQL, stops PostgreSQL for
// --down seconds, starts it again and reports what the vehicles saw: the longest answer during
// the outage, how many got a 503 within REQUEST_DEADLINE_MS, and how long after PostgreSQL was
// back the first 200 came (and the last failure). Without --url it starts `npm start` itself
// on DATABASE_URL (which needs a `next build`). Polls use VINs read from DATABASE_URL's
// vehicles (or --vin), spread so that no VIN hits the per-VIN rate limit.
import { execSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { signalServer, startProductionServer } from './start-server';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    down: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
    'stop-cmd': { type: 'string', default: 'pg_ctlcluster 15 main stop -m fast' },
    'start-cmd': { type: 'string', default: 'pg_ctlcluster 15 main start' },
    deadline: { type: 'string', default: process.env.REQUEST_DEADLINE_MS ?? '4000' },
    vin: { type: 'string', multiple: true },
  },
});
const databaseUrl = process.env.DATABASE_URL;
const deadlineMs = Number(values.deadline);
const downMs = Number(values.down) * 1000;
const concurrency = Number(values.concurrency);

async function vinsToPoll(): Promise<string[]> {
  if (values.vin?.length) return values.vin;
  if (!databaseUrl) throw new Error('set DATABASE_URL (the server\'s database) or pass --vin');
  const { default: postgres } = await import('postgres');
  const sql = postgres(databaseUrl, { max: 1 });
  const rows = await sql<{ vin: string }[]>`select vin from vehicles order by vin limit 500`;
  await sql.end();
  if (!rows.length) throw new Error('the database has no vehicles to poll as; seed it (DEMO_DATA=true) or pass --vin');
  return rows.map((r) => r.vin);
}

const started = values.url ? null : await startProductionServer({ PORT: String(20_000 + Math.floor(Math.random() * 20_000)), HOST: '127.0.0.1' });
const url = new URL(values.url ?? started!.url);
const vins = await vinsToPoll();
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

type Sample = { at: number; latency: number; status: number | 'error' };
const samples: Sample[] = [];
const t0 = performance.now();
const now = () => performance.now() - t0;

function poll(vin: string): Promise<Sample> {
  const at = now();
  const body = JSON.stringify({ signed: { vin, primaryId: '0' } });
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, path: '/api/ota/v1/C_36', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 120_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ at, latency: now() - at, status: res.statusCode ?? 0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ at, latency: now() - at, status: 'error' }));
    req.end(body);
  });
}

let running = true;
let n = 0;
async function worker() {
  while (running) {
    samples.push(await poll(vins[n++ % vins.length]!));
    await new Promise((r) => setTimeout(r, 20));
  }
}
const workers = Array.from({ length: concurrency }, worker);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
await sleep(3_000);
const stopAt = now();
console.log(`stopping PostgreSQL: ${values['stop-cmd']}`);
execSync(values['stop-cmd']!, { stdio: 'inherit' });
await sleep(downMs);
console.log(`starting PostgreSQL: ${values['start-cmd']}`);
execSync(values['start-cmd']!, { stdio: 'inherit' });
const backAt = now();
// Keep polling until 10 s after PostgreSQL is back (and the longest outage request is answered).
await sleep(10_000);
running = false;
await Promise.all(workers);
agent.destroy();
if (started) signalServer(started.pid, 'SIGTERM');

const during = samples.filter((s) => s.at >= stopAt && s.at < backAt);
const before = samples.filter((s) => s.at < stopAt);
const after = samples.filter((s) => s.at >= backAt);
const count = (list: Sample[], test: (s: Sample) => boolean) => list.filter(test).length;
const pct = (part: number, whole: number) => (whole ? ((100 * part) / whole).toFixed(1) : '-');
const maxLatency = Math.max(0, ...during.map((s) => s.latency));
const quick503 = count(during, (s) => s.status === 503 && s.latency <= deadlineMs + 250);
const firstOk = samples.filter((s) => s.status === 200 && s.at + s.latency >= backAt).sort((a, b) => a.at + a.latency - (b.at + b.latency))[0];
const lastBad = after.filter((s) => s.status !== 200).sort((a, b) => b.at - a.at)[0];
const statuses = (list: Sample[]) =>
  Object.entries(list.reduce<Record<string, number>>((acc, s) => ((acc[String(s.status)] = (acc[String(s.status)] ?? 0) + 1), acc), {}))
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');

console.log(`
PostgreSQL down ${((backAt - stopAt) / 1000).toFixed(1)} s (stop command to start command returning), deadline ${deadlineMs} ms, ${concurrency} pollers
before the outage: ${before.length} polls (${statuses(before)})
during the outage: ${during.length} polls (${statuses(during)})
  longest answer: ${(maxLatency / 1000).toFixed(2)} s
  answered 503 within the deadline (+250 ms): ${quick503} of ${during.length} (${pct(quick503, during.length)} %)
  answered within the deadline (+250 ms), any status: ${pct(count(during, (s) => s.latency <= deadlineMs + 250), during.length)} %
after PostgreSQL is back: ${after.length} polls (${statuses(after)})
  first 200: ${firstOk ? `${((firstOk.at + firstOk.latency - backAt) / 1000).toFixed(2)} s after it was back` : 'none!'}
  last failure: ${lastBad ? `a poll started ${((lastBad.at - backAt) / 1000).toFixed(2)} s after it was back (${lastBad.status})` : 'none'}`);
process.exit(firstOk ? 0 : 1);
