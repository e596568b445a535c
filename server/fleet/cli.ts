// npm run fleet -- --url http://127.0.0.1:3303 --vehicles 10000 [--concurrency 200] [--campaign ID | --create]
//                  [--fail-rate 0.02] [--error-code 1112] [--waves 10,30,60] [--poll-seconds 5] [--package-kib 16]
//
// Drives N simulated vehicles through a real campaign over HTTP. With --create it first sets
// the fleet up through the server's own services on the same DATABASE_URL (vehicles with a
// known configuration, a firmware package, a campaign deployed in waves that start on their
// own). The vehicles then speak only HTTP to --url. At the end the server's database is asked
// what it stored, and that is compared with what the vehicles were acknowledged.
import { parseArgs } from 'node:util';
import { openDatabase } from '@/db/client';
import { getConfig } from '../config';
import { getBlobStore } from '../storage';
import { campaignVins, createFleet, tallyServer } from './create-fleet';
import { runFleet } from './run-fleet';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    vehicles: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '200' },
    campaign: { type: 'string' },
    create: { type: 'boolean', default: false },
    'fail-rate': { type: 'string', default: '0.02' },
    'error-code': { type: 'string', default: '1112' },
    waves: { type: 'string', default: '10,30,60' },
    'success-threshold': { type: 'string', default: '90' },
    'error-threshold': { type: 'string', default: '20' },
    'poll-seconds': { type: 'string', default: '5' },
    'package-kib': { type: 'string', default: '16' },
    'timeout-minutes': { type: 'string', default: '30' },
  },
});

const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
const num = (name: keyof typeof values, min: number, max: number) => {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n < min || n > max) fail(`--${name} must be a number from ${min} to ${max}`);
  return n;
};
if (values.create === !!values.campaign) fail('give either --create or --campaign ID');
const databaseUrl = getConfig().DATABASE_URL ?? fail('DATABASE_URL must name the database of the server under test (to set the fleet up and to check what it stored)');
const vehicleCount = num('vehicles', 1, 1_000_000);
const concurrency = num('concurrency', 1, 5000);
const failRate = num('fail-rate', 0, 1);
const errorCode = num('error-code', 0, 2 ** 31);

const handle = await openDatabase({ databaseUrl, dataDir: getConfig().DATA_DIR });
const db = handle.db;
try {
  let campaignId: number;
  let vins: string[];
  if (values.create) {
    const waves = values.waves!.split(',').map(Number);
    if (waves.some((w) => !(w > 0 && w <= 100))) fail('--waves must be percentages, e.g. 10,30,60');
    const t0 = performance.now();
    const setup = await createFleet(db, getBlobStore(), {
      vehicles: vehicleCount,
      waves,
      successThreshold: num('success-threshold', 1, 100),
      errorThreshold: num('error-threshold', 1, 100),
      packageBytes: num('package-kib', 1, 1024 * 1024) * 1024,
    });
    ({ campaignId, vins } = setup);
    console.log(`created ${vins.length} vehicles and campaign ${campaignId} (waves ${waves.join('/')} %) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    campaignId = Number(values.campaign);
    vins = (await campaignVins(db, campaignId)).slice(0, vehicleCount);
    if (!vins.length) fail(`campaign ${campaignId} has no vehicles`);
  }

  const since = new Date(Date.now() - 1000);
  console.log(`running ${vins.length} vehicles against ${values.url}, ${concurrency} at a time, fail rate ${failRate} (code ${errorCode})`);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  // A campaign that suspended itself (error threshold) releases no more waves: stop, and say so.
  const stop = new AbortController();
  let last = { at: started, events: 0 };
  const { stats, elapsedMs, unfinished } = await runFleet({
    url: values.url!,
    vins,
    concurrency,
    failRate,
    errorCode,
    pollIntervalMs: num('poll-seconds', 0.1, 600) * 1000,
    timeoutMs: num('timeout-minutes', 0.1, 1440) * 60_000,
    signal: stop.signal,
    onProgress: (s, state) => {
      const now = performance.now();
      const rate = ((s.eventsAcknowledged - last.events) * 1000) / (now - last.at);
      last = { at: now, events: s.eventsAcknowledged };
      void tallyServer(db, campaignId, [], since).then((t) => {
        if (t.status !== 'Deployed' && !stop.signal.aborted) {
          console.log(`campaign ${campaignId} is ${t.status}${t.suspendReason ? `: ${t.suspendReason}` : ''}; no more vehicles start`);
          stop.abort();
        }
        console.log(
          `${((now - started) / 1000).toFixed(0).padStart(5)} s  done ${state.done}/${state.total} (completed ${s.completed}, failed ${s.failed})  ` +
            `events ${s.eventsAcknowledged} (${rate.toFixed(0)}/s)  re-polls ${s.polls}  5xx ${s.serverErrors}  errors ${s.errors.length}  ` +
            `campaign ${t.status}, wave ${t.currentWave + 1}`,
        );
      });
    },
  });

  const tally = await tallyServer(db, campaignId, vins, since);
  const seconds = elapsedMs / 1000;
  console.log('');
  console.log(`fleet of ${vins.length} vehicles, campaign ${campaignId}: ${seconds.toFixed(1)} s`);
  console.log(`  vehicles completed ${stats.completed}, failed ${stats.failed}, errors ${stats.errors.length}, unfinished ${unfinished}`);
  console.log(`  requests ${stats.requests} (${(stats.requests / seconds).toFixed(0)}/s), re-polls while waiting for a wave ${stats.polls}, 5xx ${stats.serverErrors}`);
  const cpu = process.cpuUsage(cpuBefore);
  console.log(`  simulator CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (${((cpu.user + cpu.system) / 1000 / Math.max(1, stats.requests)).toFixed(2)} ms per request): the rest of the machine served them`);
  console.log(`  events acknowledged ${stats.eventsAcknowledged} (${(stats.eventsAcknowledged / seconds).toFixed(0)}/s), stored on the server ${tally.storedEvents}, missing ${Math.max(0, stats.eventsAcknowledged - tally.storedEvents)}`);
  console.log(`  server: campaign ${tally.status}${tally.suspendReason ? ` (${tally.suspendReason})` : ''}, wave ${tally.currentWave + 1}, phases ${JSON.stringify(tally.phases)}`);
  for (const w of tally.waves) console.log(`    wave ${w.wave + 1}: ${w.vehicles} vehicles, completed ${w.completed}, failed ${w.failed}`);
  const phaseMismatch = (tally.phases.completed ?? 0) !== stats.completed || (tally.phases.failed ?? 0) !== stats.failed;
  if (phaseMismatch) console.log(`  MISMATCH: the vehicles finished ${stats.completed} completed / ${stats.failed} failed, the server counts ${tally.phases.completed ?? 0} / ${tally.phases.failed ?? 0}`);
  console.log('  latency by request type (ms):');
  for (const p of stats.percentiles()) console.log(`    ${p.type.padEnd(10)} ${String(p.count).padStart(8)}  p50 ${p.p50.toFixed(1).padStart(7)}  p99 ${p.p99.toFixed(1).padStart(7)}`);
  for (const e of stats.errors.slice(0, 10)) console.log(`  error: ${e}`);
  const lost = stats.eventsAcknowledged - tally.storedEvents;
  process.exitCode = lost > 0 || stats.serverErrors > 0 || stats.errors.length > 0 || unfinished > 0 || phaseMismatch ? 1 : 0;
} finally {
  await handle.close();
}
