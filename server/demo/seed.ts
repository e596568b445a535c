import { createHash } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/client';
import { actionDefaults, actionIds, campaigns, campaignVehicles, commands, configSnapshots, vehicleEcus, vehicles } from '@/db/schema';
import { contentHash } from '../vehicle-protocol/canonical-json';
import { defaultReproPolicy } from '../campaigns/lifecycle';
import { START_CAMPAIGN } from '../commands/queue-start-campaign';
import { getBlobStore } from '../storage';
import { createSoftwarePackage, createVehiclePackage } from '../packages/software-packages';

/** The seed protocol's vehicles: every one has primaryId 0. */
export const demoVins = ['vinUpdate20231008', '12345678901234567', 'TESTVIN1234567890'] as const;
/** The seed asks about campaign 1 (C_18) and prefers campaign 18 (C_05). */
export const demoCampaignIds = [1, 18] as const;

const DEMO_LOCK = 720_531_002;

/** 512 KiB of deterministic bytes standing in for an ECU image, so its sha256 is stable. */
export function demoFirmware(size = 512 * 1024): Uint8Array {
  const out = new Uint8Array(size);
  let block = createHash('sha256').update('ota-demo-firmware').digest();
  for (let offset = 0; offset < size; offset += block.length) {
    out.set(block.subarray(0, Math.min(block.length, size - offset)), offset);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/**
 * Loads the demo fleet: the seed's three VINs, a software package with a real file, a
 * vehicle package, deployed campaigns 1 and 18 targeting all three, a pending StartCampaign
 * (commandId 4) of campaign 18 to vinUpdate20231008, and action defaults of 0.
 * Does nothing when the demo vehicle exists already (or, with onlyIfEmpty, when any vehicle does).
 */
export async function seedDemoData(db: Db, options: { onlyIfEmpty?: boolean } = {}): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${DEMO_LOCK})`);
    const [present] = options.onlyIfEmpty
      ? await tx.select({ vin: vehicles.vin }).from(vehicles).limit(1)
      : await tx.select({ vin: vehicles.vin }).from(vehicles).where(eq(vehicles.vin, demoVins[0]));
    if (present) return false;
    await insertDemoFleet(tx);
    return true;
  });
}

export const seedDemoDataIfEmpty = (db: Db) => seedDemoData(db, { onlyIfEmpty: true });

async function insertDemoFleet(db: Queryable): Promise<void> {
  const store = getBlobStore();
  await db
    .insert(actionDefaults)
    .values(actionIds.map((actionId) => ({ actionId, value: 0 })))
    .onConflictDoNothing();
  await db.insert(vehicles).values([
    { vin: demoVins[0], primaryId: '0', model: 'Aurora EV', region: 'JP' },
    { vin: demoVins[1], primaryId: '0', model: 'Aurora EV', region: 'EU' },
    { vin: demoVins[2], primaryId: '0', model: 'Boreal Hybrid', region: 'JP' },
  ]);
  // The demo fleet has reported its configuration, so campaigns can be checked against it.
  const manifest = { ecuId: '1', hardwareId: 'ECU-HW-1', softwareId: '1', softwareVersion: '1.0.0' };
  await db.insert(vehicleEcus).values(demoVins.map((vin) => ({ vin, ...manifest, manifest })));
  await db.insert(configSnapshots).values(
    demoVins.map((vin) => {
      const signed = { vin, primaryId: '0', ecuVersionManifests: [manifest], clientDigest: 'demo', augmentedManifest: { packageStorage: { used: 100, available: 2048 }, locale: 'en-US', uploadReason: 'demo' } };
      return { vin, contentHash: contentHash(signed), clientDigest: 'demo', storageUsedMb: 100, storageAvailableMb: 2048, locale: 'en-US', uploadReason: 'demo', ecuVersionManifests: [manifest], raw: { signed } };
    }),
  );
  await db.update(vehicles).set({ configDigest: 'demo', lastConfigAt: sql`now()` }).where(inArray(vehicles.vin, [...demoVins]));
  const firmware = await createSoftwarePackage(
    db,
    store,
    { name: 'Main ECU firmware', version: '1.1.0', targetEcu: '1', fileName: 'main-ecu-1.1.0.bin' },
    demoFirmware(),
  );
  const vehiclePackage = await createVehiclePackage(db, store, { name: 'Aurora 2026.1', version: '2026.1', softwarePackageIds: [firmware.id], rxswin: 'R156-DEMO-0002' });
  const base = {
    vehiclePackageId: vehiclePackage.id,
    status: 'Deployed' as const,
    reproPolicy: defaultReproPolicy,
    defaultLocale: 'en',
  };
  await db.insert(campaigns).values([
    {
      ...base,
      id: demoCampaignIds[0],
      name: 'Demo: infotainment fix',
      description: 'The campaign the seed protocol asks about with C_18.',
      priority: 1,
      hmiTexts: { en: { title: 'Software update', body: 'A fix for the infotainment system is ready.' } },
    },
    {
      ...base,
      id: demoCampaignIds[1],
      name: 'Demo: main ECU 1.1.0',
      description: 'Main ECU firmware 1.1.0; the seed vehicle prefers this campaign.',
      priority: 5,
      hmiTexts: {
        en: { title: 'Software update 1.1.0', body: 'Improves charging and fixes known issues. About 10 minutes.' },
        ja: { title: 'ソフトウェア更新 1.1.0', body: '充電の改善と不具合の修正。所要時間は約10分です。' },
      },
    },
  ]);
  await db.execute(sql`select setval(pg_get_serial_sequence('campaigns', 'id'), (select max(id) from campaigns))`);
  await db.insert(campaignVehicles).values(demoCampaignIds.flatMap((campaignId) => demoVins.map((vin) => ({ campaignId, vin }))));
  await db.insert(commands).values({ vin: demoVins[0], ...START_CAMPAIGN, campaignId: demoCampaignIds[1], createdBy: 'demo' });
}
