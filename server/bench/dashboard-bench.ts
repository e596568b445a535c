// npm run bench:dashboard [-- --runs 20 --campaign ID --vin VIN]
//
// Times the tRPC calls behind the dashboard's pages at the server, on the PostgreSQL of
// DATABASE_URL (fill it first with `npm run db:seed-fleet`): each procedure is called through a
// server-side caller (no HTTP, no browser) `runs` times after one warm-up call, and its
// p50/p95 printed. Also the campaign vehicles CSV, read to the end.
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '@/db/client';
import { createCaller } from '../api/root';
import { streamCampaignVehiclesCsv } from '../campaigns/campaign-vehicles';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, campaign: { type: 'string' }, vin: { type: 'string' }, only: { type: 'string' } } });
const runs = Number(values.runs);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl?.startsWith('postgres')) {
  console.error('DATABASE_URL must name a PostgreSQL database (filled with npm run db:seed-fleet)');
  process.exit(2);
}

const handle = await openDatabase({ databaseUrl, dataDir: 'memory://' });
const db = handle.db;
const caller = createCaller({ db, user: { id: 0, email: 'bench@example.com', name: 'Bench', role: 'support' } as never });

// The largest campaign, and a vehicle of it with a long history.
const [big] = await queryRows<{ id: number; n: number }>(db, sql`select campaign_id as id, count(*)::int as n from campaign_vehicles group by 1 order by 2 desc, 1 limit 1`);
const campaignId = values.campaign ? Number(values.campaign) : (big?.id ?? 1);
const [busy] = values.vin ? [{ vin: values.vin }] : await queryRows<{ vin: string }>(db, sql`select vin from campaign_vehicles where campaign_id = ${campaignId} and phase = 'failed' order by vin limit 1`);
const vin = busy?.vin ?? '';
console.log(`campaign ${campaignId} (${big?.n ?? '?'} vehicles), vehicle ${vin}, ${runs} runs each\n`);

const cases: [string, () => Promise<unknown>][] = [
  ['overview.fleet', () => caller.overview.fleet()],
  ['overview.activeCampaigns', () => caller.overview.activeCampaigns({ limit: 20 })],
  ['overview.eventsPerHour', () => caller.overview.eventsPerHour({ hours: 24 })],
  ['overview.recentFailures', () => caller.overview.recentFailures({ limit: 10 })],
  ['campaigns.get', () => caller.campaigns.get({ id: campaignId })],
  ['campaigns.waves', () => caller.campaigns.waves({ id: campaignId })],
  ['campaigns.failures', () => caller.campaigns.failures({ id: campaignId })],
  ['campaigns.vehicles page 1', () => caller.campaigns.vehicles({ id: campaignId, filter: {}, page: 0, pageSize: 25 })],
  ['campaigns.vehicles phase=failed', () => caller.campaigns.vehicles({ id: campaignId, filter: { phase: 'failed' }, page: 0, pageSize: 25 })],
  ['campaigns.vehicles wave=3', () => caller.campaigns.vehicles({ id: campaignId, filter: { wave: 2 }, page: 0, pageSize: 25 })],
  ['campaigns.vehicles vin~', () => caller.campaigns.vehicles({ id: campaignId, filter: { vin: '0042' }, page: 0, pageSize: 25 })],
  ['campaigns.vehicles stalled', () => caller.campaigns.vehicles({ id: campaignId, filter: { stalled: true }, page: 0, pageSize: 25 })],
  ['campaigns.vehicles page 100', () => caller.campaigns.vehicles({ id: campaignId, filter: {}, page: 100, pageSize: 25 })],
  ['vehicles.list', () => caller.vehicles.list({ page: 0, pageSize: 25 })],
  ['vehicles.list model+region', () => caller.vehicles.list({ model: 'Bolt', region: 'EU', page: 0, pageSize: 25 })],
  ['vehicles.get', () => caller.vehicles.get({ vin })],
  ['events.history', () => caller.events.history({ vin })],
  ['vehicles.snapshots', () => caller.vehicles.snapshots({ vin })],
  ['campaign vehicles CSV', () => readAll(streamCampaignVehiclesCsv(db, campaignId, {}))],
];

async function readAll(stream: Promise<ReadableStream<Uint8Array>>): Promise<number> {
  let bytes = 0;
  const reader = (await stream).getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.byteLength;
  return bytes;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
console.log(`${'procedure'.padEnd(34)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
for (const [name, call] of cases) {
  if (values.only && !name.includes(values.only)) continue;
  await call(); // warm-up: plans and caches
  const times: number[] = [];
  const n = name.includes('CSV') ? Math.min(runs, 5) : runs;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const flag = pct(times, 0.5) >= 100 ? '  ✗' : '';
  console.log(`${name.padEnd(34)} ${pct(times, 0.5).toFixed(1).padStart(8)} ${pct(times, 0.95).toFixed(1).padStart(8)} ${times.at(-1)!.toFixed(1).padStart(8)}${flag}`);
}
await handle.close();
