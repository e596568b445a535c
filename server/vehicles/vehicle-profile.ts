import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { configSnapshots, vehicleEcus, vehicles } from '@/db/schema';
import { vinsWithKeys } from './vehicle-keys';
import { notFound } from '../errors';
import { snapshotsOfVehicle, snapshotStateColumns } from './config-snapshots';
import { rxswinEntries } from './snapshot-diff';

export const vehicleProfileSchema = z.object({
  identity: z.object({
    vin: z.string(),
    primaryId: z.string(),
    model: z.string().nullable(),
    region: z.string().nullable(),
    rmState: z.string().nullable(),
    rmStateAt: z.date().nullable(),
    lastSeenAt: z.date().nullable(),
    lastConfigAt: z.date().nullable(),
    configDigest: z.string().nullable(),
    /** A public key is registered: every request of this vehicle must be signed. */
    signsRequests: z.boolean(),
    createdAt: z.date(),
  }),
  ecus: z.array(
    z.object({
      ecuId: z.string(),
      hardwareId: z.string().nullable(),
      softwareId: z.string().nullable(),
      softwareVersion: z.string().nullable(),
      /** "activation": set by a successful C_24 of a package for this ECU, not yet confirmed by a configuration upload. */
      source: z.enum(['configuration', 'activation']),
      reportedAt: z.date(),
    }),
  ),
  /** After a completed update: C_03 asks for a configuration upload since then, and what it should show. */
  configUpload: z
    .object({ requestedAt: z.date(), campaignId: z.number(), ecus: z.array(z.object({ ecuId: z.string(), version: z.string() })), rxswin: z.array(z.string()) })
    .nullable(),
  /** "Configuration differs from expected": the upload after an update showed something else. */
  configMismatch: z.object({ campaignId: z.number(), attemptId: z.string().nullable(), differences: z.array(z.string()), detectedAt: z.string() }).nullable(),
  /** From the latest configuration upload, or null before the first one. */
  latestConfig: z
    .object({
      receivedAt: z.date(),
      rxswin: z.array(z.string()),
      storageUsedMb: z.number().nullable(),
      storageAvailableMb: z.number().nullable(),
      locale: z.string().nullable(),
    })
    .nullable(),
});
export type VehicleProfile = z.infer<typeof vehicleProfileSchema>;

/** Who the vehicle is and what it runs: identity, ECUs and the latest configuration. NOT_FOUND for an unknown VIN. */
export async function getVehicleProfile(db: Queryable, input: { vin: string }): Promise<VehicleProfile> {
  const [vehicle] = await db.select().from(vehicles).where(eq(vehicles.vin, input.vin));
  if (!vehicle) throw notFound(`vehicle ${input.vin}`);
  const ecus = await db
    .select({
      ecuId: vehicleEcus.ecuId,
      hardwareId: vehicleEcus.hardwareId,
      softwareId: vehicleEcus.softwareId,
      softwareVersion: vehicleEcus.softwareVersion,
      source: vehicleEcus.source,
      reportedAt: vehicleEcus.reportedAt,
    })
    .from(vehicleEcus)
    .where(eq(vehicleEcus.vin, input.vin))
    .orderBy(asc(vehicleEcus.ecuId));
  const ofVehicle = snapshotsOfVehicle(input.vin);
  const [latest] = await db
    .select({ receivedAt: configSnapshots.receivedAt, ...snapshotStateColumns })
    .from(configSnapshots)
    .where(ofVehicle.where)
    .orderBy(...ofVehicle.newestFirst)
    .limit(1);
  const signing = await vinsWithKeys(db, [input.vin]);
  const { updatedAt: _updated, expectedConfig, configUploadRequestedAt, configMismatch, ...identity } = vehicle;
  return {
    identity: { ...identity, signsRequests: signing.has(input.vin) },
    ecus,
    configUpload:
      configUploadRequestedAt && expectedConfig
        ? { requestedAt: configUploadRequestedAt, campaignId: expectedConfig.campaignId, ecus: expectedConfig.ecus, rxswin: rxswinEntries(expectedConfig.rxswin ?? []) }
        : null,
    configMismatch,
    latestConfig: latest ? { ...latest, rxswin: rxswinEntries(latest.rxswin) } : null,
  };
}
