import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { textArray, type Db } from '@/db/client';
import { configSnapshots, vehicleEcus, vehicles } from '@/db/schema';
import { createCampaign, transitionCampaign } from '../campaigns/lifecycle';
import { createSoftwarePackage, createVehiclePackage } from '../packages/software-packages';
import type { BlobStore } from '../storage';

export type FleetSetup = { campaignId: number; vins: string[]; packageBytes: number };

export type CreateFleetOptions = {
  vehicles: number;
  /** Wave sizes in percent of the campaign, e.g. [10, 30, 60]. */
  waves: number[];
  successThreshold: number;
  errorThreshold: number;
  /** Size of the firmware file each vehicle downloads. */
  packageBytes: number;
};

/**
 * What an operator would do before a fleet run, through the same services the dashboard calls:
 * registers `vehicles` vehicles that already reported a configuration (ECU 1 at 1.0.0, 2 GB
 * free, as a live fleet has), uploads one firmware file in a vehicle package, and deploys a
 * campaign to them in waves that start on their own at the success threshold.
 */
export async function createFleet(db: Db, store: BlobStore, options: CreateFleetOptions): Promise<FleetSetup> {
  const run = randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase();
  const vins = Array.from({ length: options.vehicles }, (_, i) => `FLT${run}${String(i).padStart(6, '0')}`);
  const manifests = [{ ecuId: '1', hardwareId: 'ECU-HW-1', softwareId: '1', softwareVersion: '1.0.0' }];
  for (let i = 0; i < vins.length; i += 5000) {
    const chunk = vins.slice(i, i + 5000);
    await db.insert(vehicles).values(chunk.map((vin) => ({ vin, primaryId: '0', model: 'Fleet Sim', region: 'EU', lastConfigAt: new Date() })));
    await db.insert(configSnapshots).values(
      chunk.map((vin) => ({
        vin,
        contentHash: randomUUID(),
        storageAvailableMb: 2048,
        storageUsedMb: 100,
        ecuVersionManifests: manifests,
        raw: { signed: { vin, ecuVersionManifests: manifests, augmentedManifest: { packageStorage: { used: 100, available: 2048 } } } },
      })),
    );
    await db.insert(vehicleEcus).values(chunk.map((vin) => ({ vin, ecuId: '1', hardwareId: 'ECU-HW-1', softwareId: '1', softwareVersion: '1.0.0', manifest: manifests[0]! })));
  }
  const sp = await createSoftwarePackage(db, store, { name: `Fleet firmware ${run}`, version: '2.0.0', targetEcu: '1', fileName: `fleet-${run}.bin` }, randomBytes(options.packageBytes));
  const vp = await createVehiclePackage(db, store, { name: `Fleet package ${run}`, version: '2.0.0', softwarePackageIds: [sp.id] });
  const campaign = await createCampaign(db, {
    name: `Fleet run ${run} (${vins.length.toLocaleString('en')} vehicles)`,
    vehiclePackageId: vp.id,
    vins,
    rollout: {
      waves: options.waves.map((size) => ({ size, unit: 'percent' as const })),
      successThreshold: options.successThreshold,
      errorThreshold: options.errorThreshold,
      autoAdvance: true,
    },
  });
  await db.transaction((tx) => transitionCampaign(tx, campaign.id, 'Deployed', 'fleet-simulator'));
  return { campaignId: campaign.id, vins, packageBytes: options.packageBytes };
}

/** The VINs of an existing campaign, for a run against it. */
export async function campaignVins(db: Db, campaignId: number): Promise<string[]> {
  const rows = await db.execute<{ vin: string }>(sql`select vin from campaign_vehicles where campaign_id = ${campaignId} order by vin`);
  return (Array.isArray(rows) ? rows : (rows as unknown as { rows: { vin: string }[] }).rows).map((r) => r.vin);
}

export type ServerTally = {
  storedEvents: number;
  status: string;
  suspendReason: string | null;
  currentWave: number;
  phases: Record<string, number>;
  waves: { wave: number; vehicles: number; completed: number; failed: number }[];
};

/** What the server recorded for the fleet since `since`: its events (none asked for: 0), the campaign's status, wave and phases. */
export async function tallyServer(db: Db, campaignId: number, vins: string[], since: Date): Promise<ServerTally> {
  const rows = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
  const [ev] = vins.length
    ? rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from events where vin = any(${textArray(vins)}) and received_at >= ${since.toISOString()}::timestamptz`))
    : [];
  const [c] = rows<{ status: string; current_wave: number; suspend_reason: string | null }>(await db.execute(sql`select status, current_wave, suspend_reason from campaigns where id = ${campaignId}`));
  const phaseRows = rows<{ phase: string; n: number }>(await db.execute(sql`select phase, count(*)::int as n from campaign_vehicles where campaign_id = ${campaignId} group by phase`));
  const waveRows = rows<{ wave: number; vehicles: number; completed: number; failed: number }>(
    await db.execute(sql`select wave, count(*)::int as vehicles, count(*) filter (where phase = 'completed')::int as completed,
      count(*) filter (where phase = 'failed')::int as failed from campaign_vehicles where campaign_id = ${campaignId} group by wave order by wave`),
  );
  return {
    storedEvents: ev?.n ?? 0,
    status: c?.status ?? 'missing',
    suspendReason: c?.suspend_reason ?? null,
    currentWave: c?.current_wave ?? 0,
    phases: Object.fromEntries(phaseRows.map((r) => [r.phase, r.n])),
    waves: waveRows,
  };
}
