// npm run chaos:kill -- [--runs 3] [--seconds 4] [--concurrency 16]
//
// Crash test: starts `npm start` on DATABASE_URL (PostgreSQL; needs a `next build`), sends
// notifications from many vehicles, kills the server with SIGKILL (kill -9) mid-load, starts it
// again, and checks that every event the server acknowledged (a 2xx) is in the database,
// counted by event id. Also reports how long the restarted server took to answer
// /api/health 200. Exits 1 if an acknowledged event is missing.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { signalServer, startProductionServer } from './start-server';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '16' },
    port: { type: 'string', default: String(20_000 + Math.floor(Math.random() * 20_000)) },
  },
});
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('chaos:kill needs DATABASE_URL (a PostgreSQL database the server uses)');
const { default: postgres } = await import('postgres');
const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
const env = { PORT: values.port!, HOST: '127.0.0.1' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(url: string, since: number): Promise<number> {
  for (;;) {
    const ok = await fetch(`${url}/api/health`).then((r) => r.status === 200, () => false);
    if (ok) return performance.now() - since;
    await sleep(50);
  }
}

let server = await startProductionServer(env);
const vins = (await sql<{ vin: string }[]>`select vin from vehicles order by vin limit 500`).map((r) => r.vin);
if (!vins.length) throw new Error('no vehicles in the database: start once with DEMO_DATA=true');
let totalAcked = 0;
let totalLost = 0;

for (let run = 1; run <= Number(values.runs); run++) {
  const url = new URL(server.url);
  const agent = new Agent({ keepAlive: true, maxSockets: Number(values.concurrency) });
  const acked: string[] = [];
  let sent = 0;
  let failed = 0;
  let running = true;
  const notify = (vin: string) => {
    const id = `chaos-${randomUUID()}`;
    const body = JSON.stringify({ signed: { vin, primaryId: '0', events: [{ eventsUuid: id, eventsType: 'note', status: 'chaos', currentTime: { time: Math.floor(Date.now() / 1000) } }] } });
    sent++;
    return new Promise<void>((resolve) => {
      const req = request({ host: url.hostname, port: url.port, path: '/api/ota/v1/C_01', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode! >= 200 && res.statusCode! < 300) acked.push(id);
          else failed++;
          resolve();
        });
        res.on('error', () => (failed++, resolve()));
      });
      req.on('error', () => (failed++, resolve()));
      req.end(body);
    });
  };
  let n = 0;
  const workers = Array.from({ length: Number(values.concurrency) }, async () => {
    while (running) await notify(vins[n++ % vins.length]!);
  });
  await sleep(Number(values.seconds) * 1000);
  signalServer(server.pid, 'SIGKILL');
  const killedAt = performance.now();
  running = false;
  await Promise.all(workers);
  agent.destroy();

  server = await startProductionServer(env);
  const healthyAfter = await waitHealthy(server.url, killedAt);
  const found = new Set<string>();
  for (let i = 0; i < acked.length; i += 5000) {
    const rows = await sql<{ id: string }[]>`select events_uuid as id from events where events_uuid = any(${acked.slice(i, i + 5000)})`;
    for (const r of rows) found.add(r.id);
  }
  const lost = acked.filter((id) => !found.has(id)).length;
  totalAcked += acked.length;
  totalLost += lost;
  console.log(`run ${run}: sent ${sent}, acknowledged ${acked.length}, not acknowledged ${failed}; acknowledged but missing after the kill: ${lost}; healthy ${(healthyAfter / 1000).toFixed(1)} s after kill -9 (restart included)`);
}

signalServer(server.pid, 'SIGTERM');
await sql.end();
console.log(`total: ${totalAcked} acknowledged events, ${totalLost} lost`);
process.exit(totalLost ? 1 : 0);
