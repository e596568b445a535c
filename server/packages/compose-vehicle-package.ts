import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { softwarePackages } from '@/db/schema';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/actor';
import { invalid } from '../errors';
import { getBlobStore, type BlobStore } from '../storage';
import { createVehiclePackage } from './software-packages';

export const composeVehiclePackageSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(200),
  version: z.string().trim().min(1, 'Enter a version').max(100),
  /** In the order the vehicle should install them. */
  softwarePackageIds: z
    .array(z.number().int().positive())
    .min(1, 'Choose at least one software package')
    .refine((ids) => new Set(ids).size === ids.length, 'A software package is chosen twice'),
  /** UN R156: the RXSWIN vehicles carry for the updated ECUs once the package is in place; empty when it does not change. */
  rxswin: z
    .string()
    .trim()
    .max(100)
    .regex(/^[\x21-\x7e]*$/, 'An RXSWIN is printable characters without spaces')
    .optional()
    .transform((v) => v || null),
});
export type ComposeVehiclePackage = z.infer<typeof composeVehiclePackageSchema>;

/**
 * A vehicle package of the chosen software packages, in the given order, with its audit row in
 * the same transaction. Two files for one ECU are refused: the vehicle could not install both.
 */
export async function composeVehiclePackage(db: Db, actor: Actor, input: ComposeVehiclePackage, store: BlobStore = getBlobStore()) {
  return db.transaction(async (tx) => {
    const parts = await tx
      .select({ id: softwarePackages.id, targetEcu: softwarePackages.targetEcu, name: softwarePackages.name, version: softwarePackages.version })
      .from(softwarePackages)
      .where(inArray(softwarePackages.id, input.softwarePackageIds));
    const byEcu = new Map<string, string[]>();
    for (const p of parts) byEcu.set(p.targetEcu, [...(byEcu.get(p.targetEcu) ?? []), `${p.name} ${p.version}`]);
    const clash = [...byEcu].find(([, names]) => names.length > 1);
    if (clash) throw invalid(`ECU ${clash[0]} would get two files (${clash[1].join(' and ')}); choose one software package per ECU.`);
    const created = await createVehiclePackage(tx, store, input);
    await recordAudit(tx, actor, 'package.compose', { type: 'vehicle_package', id: created.id }, { name: created.name, version: created.version, softwarePackageIds: input.softwarePackageIds });
    return created;
  });
}
