// npm run db:seed-fleet -- --vehicles 100000 --events 5000000 [--days 7]
//
// Fills the PostgreSQL of DATABASE_URL with a fleet and its history, generated inside the
// database (generate_series), so the dashboard can be measured at fleet size: `vehicles`
// vehicles (2 ECUs and a configuration snapshot each), 3 campaigns over the whole fleet in 3
// waves (one deployed in its last wave, one deployed in its second, one suspended in its
// first, with phases to match), and `events` events over `days` days, more of them recent:
// every completed vehicle's C_35, every failed one's C_24 failure and C_28, the rest the
// steps of updates (C_01 … C_25). Adds to what is there; the VINs start with SEED<run>.
// The packages are rows only (no files): vehicles cannot download them.
import { sql } from 'drizzle-orm';
import { parseArgs } from 'node:util';
import { openDatabase, queryRows } from '@/db/client';

const { values } = parseArgs({
  options: {
    vehicles: { type: 'string', default: '100000' },
    events: { type: 'string', default: '5000000' },
    days: { type: 'string', default: '7' },
  },
});
const V = Number(values.vehicles);
const E = Number(values.events);
const days = Number(values.days);
if (!Number.isInteger(V) || V < 10 || !Number.isInteger(E) || E < V || !(days > 0)) {
  console.error('--vehicles must be a whole number ≥ 10, --events a whole number ≥ --vehicles, --days > 0');
  process.exit(2);
}
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl?.startsWith('postgres')) {
  console.error('DATABASE_URL must name a PostgreSQL database');
  process.exit(2);
}

const handle = await openDatabase({ databaseUrl, dataDir: 'memory://' });
const db = handle.db;
const run = Date.now().toString(36).toUpperCase().slice(-5);
const prefix = `SEED${run}`;
const vin = (i: ReturnType<typeof sql>) => sql`${prefix} || lpad((${i})::text, 8, '0')`;
const step = async (what: string, query: ReturnType<typeof sql>) => {
  const t0 = performance.now();
  await db.execute(query);
  console.log(`${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
};
/** When a thing happened: within `days`, recent hours more often than old ones. */
const recent = sql`now() - ${days}::float8 * interval '1 day' * power(random(), 1.4)`;

await step(
  `${V} vehicles`,
  sql`insert into vehicles (vin, primary_id, model, region, rm_state, rm_state_at, config_digest, last_config_at, last_seen_at, created_at)
      select ${vin(sql`g`)}, '0', (array['Aria','Bolt','Corsa','Delta','Eon'])[1 + g % 5], (array['EU','NA','JP','CN'])[1 + (g / 5) % 4],
        'IDLE', t, md5(g::text), t, case when g % 50 = 0 then null else t end, t - interval '30 days'
      from generate_series(1, ${V}::int) g, lateral (select ${recent} as t) x`,
);
await step(
  'their ECUs and configuration snapshots',
  sql`with ecus as (
        insert into vehicle_ecus (vin, ecu_id, hardware_id, software_id, software_version, manifest, reported_at)
        select ${vin(sql`g`)}, e::text, 'HW-' || e, e::text, case when g % 3 = 0 then '2.0.0' else '1.0.0' end,
          jsonb_build_object('ecuId', e::text, 'hardwareId', 'HW-' || e, 'softwareVersion', case when g % 3 = 0 then '2.0.0' else '1.0.0' end), now() - interval '1 day'
        from generate_series(1, ${V}::int) g, generate_series(1, 2) e
        returning 1
      )
      insert into config_snapshots (vin, received_at, content_hash, client_digest, rxswin, storage_used_mb, storage_available_mb, locale, upload_reason, ecu_version_manifests, raw)
      select ${vin(sql`g`)}, now() - interval '1 day', md5('${sql.raw(run)}' || g), md5(g::text), '[{"rxswin":"R156-SEED","ecuId":"1"}]', 120, 2048, 'en-US', 'campaign',
        '[{"ecuId":"1","softwareVersion":"1.0.0"},{"ecuId":"2","softwareVersion":"1.0.0"}]',
        jsonb_build_object('signed', jsonb_build_object('vin', ${vin(sql`g`)}, 'ecuVersionManifests', '[{"ecuId":"1","softwareVersion":"1.0.0"}]'::jsonb))
      from generate_series(1, ${V}::int) g`,
);

const [pkg] = await queryRows<{ id: number }>(
  db,
  sql`with sp as (
        insert into software_packages (name, version, target_ecu, file_name, storage_key, sha256, length)
        values ('Seed firmware', '2.0.0', '1', 'seed-${sql.raw(run)}.bin', 'seed/none', repeat('0', 64), 52428800) returning id
      ), vp as (
        insert into vehicle_packages (name, version, storage_key, sha256, length) values ('Seed package ${sql.raw(run)}', '2.0.0', 'seed/none', repeat('0', 64), 2048) returning id
      ), item as (
        insert into vehicle_package_items (vehicle_package_id, software_package_id) select vp.id, sp.id from vp, sp returning vehicle_package_id
      )
      select vehicle_package_id as id from item`,
);
const plan = JSON.stringify({ waves: [{ size: 10, unit: 'percent' }, { size: 30, unit: 'percent' }, { size: 60, unit: 'percent' }], successThreshold: 90, errorThreshold: 10, autoAdvance: true });
const repro = JSON.stringify({ consent: 'none', maxRetries: 3, transports: ['any'], minFreeStorageMb: 1 });
// [name, status, current wave]: the last wave rolling, the second, and one suspended in its first.
const shapes: [string, string, number][] = [
  ['Brake ECU 2.0 (seed)', 'Deployed', 2],
  ['Infotainment 5.1 (seed)', 'Deployed', 1],
  ['Battery management 3.2 (seed)', 'Suspended', 0],
];
const ids: number[] = [];
for (const [name, status, wave] of shapes) {
  const [c] = await queryRows<{ id: number }>(
    db,
    sql`insert into campaigns (name, status, vehicle_package_id, repro_policy, rollout, current_wave, suspend_reason, created_at)
        values (${`${name} ${run}`}, ${status}, ${pkg!.id}, ${repro}::jsonb, ${plan}::jsonb, ${wave},
          ${status === 'Suspended' ? 'Suspended automatically: 11% of wave 1 failed (threshold 10%)' : null}, now() - interval '8 days')
        returning id`,
  );
  ids.push(c!.id);
  // Waves of 10/30/60 % by VIN; released waves are mostly done, the current one in every phase, later ones queued.
  await step(
    `campaign ${c!.id} (${status}, wave ${wave + 1}): ${V} vehicles`,
    sql`insert into campaign_vehicles (campaign_id, vin, phase, progress, last_error_code, last_event_at, wave, updated_at)
        select ${c!.id}, ${vin(sql`g`)}, p.phase, case when p.phase in ('completed','downloaded','installing','activating') then 100 when p.phase = 'downloading' then (r * 1000)::int % 100 else 0 end,
          case when p.phase = 'failed' then (array['C_16_FAILURE:2001','C_24_FAILURE:1112','C_28:4242','COMMAND_TIMEOUT'])[1 + g % 4] when p.phase = 'declined' then 'C_10_REJECTED' end,
          case when p.phase = 'queued' then null else ${recent} end, w.wave, now()
        from generate_series(1, ${V}::int) g
        cross join lateral (select case when g <= ${V} * 0.1 then 0 when g <= ${V} * 0.4 then 1 else 2 end as wave, random() as r) w
        cross join lateral (select case
          when w.wave > ${wave} then 'queued'
          when w.wave < ${wave} then
            case when w.r < 0.93 then 'completed' when w.r < 0.97 then 'failed' when w.r < 0.99 then 'declined' else 'cancelled' end
          else case when w.r < ${status === 'Suspended' ? 0.3 : 0.55} then 'completed' when w.r < ${status === 'Suspended' ? 0.41 : 0.58} then 'failed' when w.r < 0.6 then 'declined'
            when w.r < 0.65 then 'queued' when w.r < 0.7 then 'command_delivered' when w.r < 0.75 then 'config_uploaded' when w.r < 0.85 then 'downloading'
            when w.r < 0.9 then 'downloaded' when w.r < 0.95 then 'installing' else 'activating' end
          end as phase) p`,
  );
}
const idList = sql.raw(ids.join(','));

// The endings the phases above imply: C_35 for each completion, C_24 failure + C_28 for each failure.
await step(
  'C_35 / C_24 / C_28 of the finished vehicles',
  sql`insert into events (vin, code, classified, events_uuid, events_type, status, attempt_id, report_id, campaign_id, event_time, received_at, error_codes, content_hash, raw)
      select cv.vin, k.code, true, md5(random()::text), k.type, k.status, cv.campaign_id || '-seed', k.code, cv.campaign_id, cv.last_event_at, cv.last_event_at,
        case when k.code = 'C_35' then '[]'::jsonb else jsonb_build_array(split_part(cv.last_error_code, ':', 2)) end,
        md5(cv.vin || cv.campaign_id || k.code),
        jsonb_build_object('eventsType', k.type, 'status', k.status, 'eventMode', 'active', 'attemptId', cv.campaign_id || '-seed',
          'currentTime', jsonb_build_object('time', extract(epoch from cv.last_event_at)::bigint, 'clockSource', 'default'))
      from campaign_vehicles cv
      cross join lateral (values ('C_35', 'updateComplete', 'success', 'completed'), ('C_24', 'activate', 'failure', 'failed'), ('C_28', 'error', 'failure', 'failed')) k(code, type, status, phase)
      where cv.campaign_id in (${idList}) and cv.phase = k.phase and (k.phase = 'completed' or cv.last_error_code like 'C_2%')`,
);
const [{ n: endings } = { n: 0 }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from events where vin like ${`${prefix}%`}`);

// The steps of updates, in batches: mostly download progress, some state changes, and one in 200 a vehicle error (C_28) outside any campaign.
const steps = `('C_01','rmState','success'),('C_10','notification','accepted'),('C_12','download','accepted'),('C_13','download','started'),
  ('C_15','download','inProgress'),('C_15','download','inProgress'),('C_15','download','inProgress'),('C_15','download','inProgress'),('C_15','download','inProgress'),
  ('C_16','download','success'),('C_09','tracking','success'),('C_19','installation','accepted'),('C_20','installation','inProgress'),('C_20','installation','inProgress'),
  ('C_22','activate','accepted'),('C_23','activate','inProgress'),('C_24','activate','success'),('C_25','ackinstall','accepted'),('C_01','rmState','success'),('C_28','error','failure')`;
const rest = E - endings;
const batch = 1_000_000;
for (let from = 0; from < rest; from += batch) {
  const to = Math.min(rest, from + batch);
  await step(
    `events ${endings + to}/${E}`,
    sql`insert into events (vin, code, classified, events_uuid, events_type, status, attempt_id, report_id, campaign_id, event_time, received_at,
          bytes_downloaded, download_size, error_codes, content_hash, raw)
        select ${vin(sql`1 + (g::bigint * 7919) % ${V}`)}, k.code, true, md5(g::text || '${sql.raw(run)}'), k.type, k.status,
          case when k.code = 'C_28' then null else c.id || '-seed' end, (g % 1000)::text, case when k.code = 'C_28' then null else c.id end, t.at - interval '2 seconds', t.at,
          case when k.type = 'download' then (g % 100) * 524288 end, case when k.type = 'download' then 52428800 end,
          case when k.code = 'C_28' then jsonb_build_array((array['4242','5003','1112'])[1 + g % 3]) else '[]'::jsonb end,
          md5('${sql.raw(run)}' || g),
          jsonb_build_object('eventsType', k.type, 'status', k.status, 'eventMode', 'active', 'eventsUuid', md5(g::text),
            'currentTime', jsonb_build_object('time', extract(epoch from t.at)::bigint, 'clockSource', 'default'))
        from generate_series(${from + 1}::int, ${to}::int) g
        cross join lateral (select ${recent} as at) t
        cross join lateral (select (array[${idList}])[1 + g % 3] as id) c
        join (select row_number() over () - 1 as i, * from (values ${sql.raw(steps)}) s(code, type, status)) k on k.i = case when g % 200 = 199 then 19 else g % 19 end`,
  );
}
// Statistics for the planner, and the visibility map that lets counts read indexes alone.
await step('vacuum analyze', sql`vacuum analyze vehicles, vehicle_ecus, config_snapshots, campaigns, campaign_vehicles, events, event_hour_counts`);
console.log(`seeded run ${run}: VINs ${prefix}…, campaigns ${ids.join(', ')}`);
await handle.close();
