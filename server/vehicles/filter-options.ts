import { asc, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { vehicleEcus, vehicles } from '@/db/schema';

/** Longest list a filter's drop-down offers. */
const MAX_OPTIONS = 500;

export const modelsAndRegionsSchema = z.object({ models: z.array(z.string()), regions: z.array(z.string()) });
export type ModelsAndRegions = z.infer<typeof modelsAndRegionsSchema>;

export const filterOptionsSchema = modelsAndRegionsSchema.extend({ ecus: z.array(z.object({ ecuId: z.string(), versions: z.array(z.string()) })) });
export type FilterOptions = z.infer<typeof filterOptionsSchema>;

/** The models and regions the fleet has (the vehicle list's filters). */
export async function listModelsAndRegions(db: Queryable): Promise<ModelsAndRegions> {
  const models = await db.selectDistinct({ v: vehicles.model }).from(vehicles).where(isNotNull(vehicles.model)).orderBy(asc(vehicles.model)).limit(MAX_OPTIONS);
  const regions = await db.selectDistinct({ v: vehicles.region }).from(vehicles).where(isNotNull(vehicles.region)).orderBy(asc(vehicles.region)).limit(MAX_OPTIONS);
  return { models: models.map((m) => m.v!), regions: regions.map((r) => r.v!) };
}

/** Models, regions, and each ECU with the versions installed on it (the campaign builder's filter). */
export async function listFilterOptions(db: Queryable): Promise<FilterOptions> {
  const ecus = await db
    .selectDistinct({ ecuId: vehicleEcus.ecuId, version: vehicleEcus.softwareVersion })
    .from(vehicleEcus)
    .orderBy(asc(vehicleEcus.ecuId), asc(vehicleEcus.softwareVersion));
  const versions = new Map<string, string[]>();
  for (const e of ecus) {
    const list = versions.get(e.ecuId) ?? [];
    if (e.version) list.push(e.version);
    versions.set(e.ecuId, list);
  }
  return { ...(await listModelsAndRegions(db)), ecus: [...versions].map(([ecuId, list]) => ({ ecuId, versions: list })) };
}
