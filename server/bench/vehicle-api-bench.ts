// npm run bench: how many vehicle polls and notifications per second the vehicle API serves on
// this machine. It starts the lean vehicle API (the same handlers Next.js routes re-export) in a
// child process on loopback, on a fresh embedded database (or DATABASE_URL), registers a
// fleet, then drives each hot path with a fixed number of concurrent keep-alive clients for a
// few seconds and prints requests per second and latency percentiles. Bounded in count and time.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '32' },
    vehicles: { type: 'string', default: '500' },
    port: { type: 'string', default: '3390' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const fleetSize = Number(values.vehicles);
const port = Number(values.port);
const base = `http://127.0.0.1:${port}`;
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function post(pathname: string, body: unknown): Promise<number> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(`${base}${pathname}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function startServer(): Promise<ChildProcess> {
  // The per-VIN rate limit would measure itself, not the API: off unless asked for.
  const env: NodeJS.ProcessEnv = { VEHICLE_RATE_LIMIT_PER_MINUTE: '0', ...process.env, PORT: String(port), HOST: '127.0.0.1', AUTO_REGISTER_VEHICLES: 'true' };
  if (!env.DATABASE_URL) env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'ota-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', path.join(import.meta.dirname, '../runtime/server-side.mjs'), path.join(import.meta.dirname, '../http/lean-server.ts')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the vehicle API did not start within 60 s')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`the vehicle API exited with ${code}`)));
  });
  return child;
}

type Result = { name: string; requests: number; errors: number; rps: number; p50: number; p99: number };

async function drive(name: string, make: (i: number) => [string, unknown]): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  let counter = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const [pathname, body] = make(counter++);
        const t0 = performance.now();
        const status = await post(pathname, body).catch(() => 0);
        latencies.push(performance.now() - t0);
        if (status !== 200) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { name, requests: latencies.length, errors, rps: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99) };
}

const server = await startServer();
try {
  const vins = Array.from({ length: fleetSize }, (_, i) => `BENCH${String(i).padStart(6, '0')}`);
  // Register the fleet (auto-registration on the first poll), a few at a time.
  for (let i = 0; i < vins.length; i += concurrency) await Promise.all(vins.slice(i, i + concurrency).map((vin) => post('/api/ota/v1/action', { signed: { vin, primaryId: '0' } })));
  const vin = (i: number) => vins[i % vins.length]!;
  const results = [
    await drive('C_36 command poll', (i) => ['/api/ota/v1/command', { signed: { vin: vin(i), primaryId: '0' } }]),
    await drive('C_03 action poll', (i) => ['/api/ota/v1/action', { signed: { vin: vin(i), primaryId: '0' } }]),
    await drive('C_15 notification', (i) => [
      '/api/ota/v1/notification',
      {
        signed: {
          vin: vin(i),
          primaryId: '0',
          events: [{ eventsUuid: `bench-${i}`, eventsType: 'download', status: 'inProgress', currentTime: { time: 1_700_000_000 + i }, downloadExtras: { downloadSize: 1000, bytesDownloaded: i % 1000 } }],
        },
      },
    ]),
  ];
  console.log(`\nvehicle API on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}, ${concurrency} clients, ${seconds} s each, ${fleetSize} vehicles`);
  console.log('path                     requests  errors      req/s   p50 ms   p99 ms');
  for (const r of results) {
    console.log(`${r.name.padEnd(24)} ${String(r.requests).padStart(8)} ${String(r.errors).padStart(7)} ${r.rps.toFixed(0).padStart(10)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)}`);
  }
  if (results.some((r) => r.errors)) process.exitCode = 1;
} finally {
  server.kill();
  agent.destroy();
}
