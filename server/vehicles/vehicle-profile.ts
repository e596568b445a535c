import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { configSnapshots, vehicleEcus, vehicles } from '@/db/schema';
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
    z.object({ ecuId: z.string(), hardwareId: z.string().nullable(), softwareId: z.string().nullable(), softwareVersion: z.string().nullable(), reportedAt: z.date() }),
  ),
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
    .select({ ecuId: vehicleEcus.ecuId, hardwareId: vehicleEcus.hardwareId, softwareId: vehicleEcus.softwareId, softwareVersion: vehicleEcus.softwareVersion, reportedAt: vehicleEcus.reportedAt })
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
  const { publicKey, updatedAt: _updated, ...identity } = vehicle;
  return {
    identity: { ...identity, signsRequests: publicKey !== null && publicKey.trim() !== '' },
    ecus,
    latestConfig: latest ? { ...latest, rxswin: rxswinEntries(latest.rxswin) } : null,
  };
}
