import { and, asc, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { campaigns, campaignVehicles, finalPhases, phases, vehicles } from '@/db/schema';
import { phaseLiterals } from '../campaigns/phase-sql';
import { inventoryConditions, inventoryFilterSchema, vehicleRowColumns } from './fleet-inventory';

export const listVehiclesInputSchema = inventoryFilterSchema.extend({
  page: z.number().int().min(0).default(0),
  pageSize: z.number().int().min(1).max(200).default(25),
});
export type ListVehiclesInput = z.input<typeof listVehiclesInputSchema>;

export const activeCampaignSchema = z.object({ campaignId: z.number(), name: z.string(), phase: z.enum(phases), progress: z.number() });

export const vehicleRowSchema = z.object({
  vin: z.string(),
  primaryId: z.string(),
  model: z.string().nullable(),
  region: z.string().nullable(),
  rmState: z.string().nullable(),
  lastSeenAt: z.date().nullable(),
  activeCampaign: activeCampaignSchema.nullable(),
});
export type VehicleRow = z.infer<typeof vehicleRowSchema>;

export const vehiclePageSchema = z.object({ rows: z.array(vehicleRowSchema), total: z.number(), page: z.number(), pageSize: z.number() });

/** A page of the fleet, most recently seen first, filtered by VIN substring, model and region. */
export async function listVehicles(db: Queryable, raw: ListVehiclesInput): Promise<z.infer<typeof vehiclePageSchema>> {
  const input = listVehiclesInputSchema.parse(raw);
  // VIN, model, region, and the fleet inventory's RXSWIN and ECU version.
  const filters: SQL[] = inventoryConditions(input);
  const where = filters.length ? and(...filters) : undefined;

  const [totals] = await db.select({ n: count() }).from(vehicles).where(where);
  const rows = await db
    .select(vehicleRowColumns)
    .from(vehicles)
    .where(where)
    .orderBy(sql`${vehicles.lastSeenAt} desc nulls last`, asc(vehicles.vin))
    .limit(input.pageSize)
    .offset(input.page * input.pageSize);
  const active = await activeCampaignsOf(db, rows.map((r) => r.vin));
  return {
    rows: rows.map((r) => ({ ...r, activeCampaign: active.get(r.vin) ?? null })),
    total: totals?.n ?? 0,
    page: input.page,
    pageSize: input.pageSize,
  };
}

const finalPhase = sql`${campaignVehicles.phase} in (${phaseLiterals(finalPhases)})`;

/**
 * Each vehicle's membership in a running (Deployed or Suspended) campaign: an unfinished one
 * before a finished one, then the most recent.
 */
export async function activeCampaignsOf(db: Queryable, vins: string[]): Promise<Map<string, z.infer<typeof activeCampaignSchema>>> {
  const found = new Map<string, z.infer<typeof activeCampaignSchema>>();
  if (!vins.length) return found;
  const rows = await db
    .selectDistinctOn([campaignVehicles.vin], {
      vin: campaignVehicles.vin,
      campaignId: campaignVehicles.campaignId,
      name: campaigns.name,
      phase: campaignVehicles.phase,
      progress: campaignVehicles.progress,
    })
    .from(campaignVehicles)
    .innerJoin(campaigns, eq(campaigns.id, campaignVehicles.campaignId))
    .where(and(inArray(campaignVehicles.vin, vins), inArray(campaigns.status, ['Deployed', 'Suspended'])))
    .orderBy(campaignVehicles.vin, finalPhase, sql`coalesce(${campaignVehicles.lastEventAt}, ${campaignVehicles.updatedAt}) desc`, desc(campaigns.priority));
  for (const { vin, ...campaign } of rows) found.set(vin, campaign);
  return found;
}
