import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/db/client';
import { events, vehicles } from '@/db/schema';
import { getDb } from '../db';
import { runVehicleUpdate } from '../simulator/vehicle-simulator';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';

type Tally = { hour: string; kind: string; n: number };
const key = (t: Tally) => `${t.hour} ${t.kind}`;

/** The trigger's counters and a full recount of the events table, hour by hour and kind by kind. */
async function countersAndRecount() {
  const db = await getDb();
  const counters = await queryRows<Tally>(db, sql`select hour::text, kind, sum(events)::int as n from event_hour_counts group by 1, 2 having sum(events) <> 0 order by 1, 2`);
  const recount = await queryRows<Tally>(
    db,
    sql`select date_trunc('hour', received_at)::text as hour, event_kind(code, status) as kind, count(*)::int as n from events group by 1, 2 order by 1, 2`,
  );
  return { counters: new Map(counters.map((t) => [key(t), t.n])), recount: new Map(recount.map((t) => [key(t), t.n])) };
}

const anEvent = (vin: string, receivedAt: Date, code: string | null, eventsType: string, status: string) => ({
  vin,
  code,
  classified: code !== null,
  eventsUuid: randomUUID().replaceAll('-', ''),
  eventsType,
  status,
  eventTime: receivedAt,
  receivedAt,
  contentHash: randomUUID(),
  raw: { eventsType, status },
});

describe('events per hour, counted by the database as events arrive', () => {
  let server: Awaited<ReturnType<typeof startVehicleApiServer>>;
  beforeAll(async () => {
    server = await startVehicleApiServer();
  });
  afterAll(() => server?.close());

  it('equal a full recount after vehicles ran concurrently, bulk inserts, replays and a deleted vehicle', { timeout: 180_000 }, async () => {
    const db = await getDb();
    const vins = await makeVehicles(db, 6);
    await makeDeployedCampaign(db, vins.slice(0, 3), { priority: 1000 });

    // Three vehicles through the real endpoints at once (two of them failing), each notification its own transaction.
    const fails = [undefined, { at: 'download' as const, code: 2001 }, { at: 'activation' as const, code: 1112 }];
    const runs = await Promise.all(vins.slice(0, 3).map((vin, i) => runVehicleUpdate({ baseUrl: server.url, vin, fail: fails[i], progressReports: 1 })));
    expect(runs.map((r) => r.outcome)).toEqual(['completed', 'failed', 'failed']);
    // Replayed notifications are stored once, and counted once.
    for (const request of runs[0]!.transcript.filter((t) => t.path.endsWith('/notification')).slice(0, 3)) {
      const res = await fetch(`${server.url}${request.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request.body) });
      expect(res.status).toBe(200);
    }

    // Several writers at once, in several hours and of every kind, one of them a multi-row statement.
    const hourAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    await Promise.all([
      db.insert(events).values([anEvent(vins[4]!, hourAgo(3), 'C_28', 'error', 'failure'), anEvent(vins[4]!, hourAgo(3), 'C_15', 'download', 'inProgress'), anEvent(vins[4]!, hourAgo(30), null, 'custom', 'odd')]),
      db.insert(events).values(anEvent(vins[5]!, hourAgo(3), 'C_01', 'rmState', 'success')),
      db.insert(events).values(anEvent(vins[5]!, hourAgo(5), 'C_12', 'download', 'rejected')),
      db.transaction(async (tx) => {
        await tx.insert(events).values(anEvent(vins[5]!, hourAgo(5), 'C_35', 'updateComplete', 'success'));
        await tx.insert(events).values(anEvent(vins[5]!, hourAgo(0), 'C_16', 'download', 'failure'));
      }),
    ]);
    // A rolled-back insert leaves no count behind.
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(events).values(anEvent(vins[5]!, hourAgo(2), 'C_15', 'download', 'inProgress'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');

    const before = await countersAndRecount();
    expect(before.counters).toEqual(before.recount);

    // A vehicle deleted takes its events, and their counts, with it.
    await db.delete(vehicles).where(eq(vehicles.vin, vins[4]!));
    const after = await countersAndRecount();
    expect(after.counters).toEqual(after.recount);
    const hour3 = [...before.recount.keys()].find((k) => k.endsWith(' failure') && k.startsWith(new Date(Math.floor(hourAgo(3).getTime() / 3_600_000) * 3_600_000).toISOString().slice(0, 13).replace('T', ' ')));
    expect(hour3).toBeDefined();
    expect(after.recount.get(hour3!) ?? 0).toBe(before.recount.get(hour3!)! - 1);
  });
});
