import { and, asc, count, eq, gt, ilike, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { campaigns, campaignVehicles, vehicles } from '@/db/schema';
import { csvStream } from '../csv/csv-stream';
import { notFound } from '../errors';
import { isBlocked, isStalled } from './attention';
import { phases } from './vehicle-phase';

export const campaignVehicleFilterSchema = z.object({
  phase: z.enum(phases).optional(),
  /** A part of the VIN, any case. */
  vin: z.string().trim().max(64).optional(),
  /** Only vehicles not offered the campaign (their configuration does not meet the preconditions). */
  blocked: z.boolean().optional(),
  /** Only vehicles silent longer than the campaign's stall time in an active phase. */
  stalled: z.boolean().optional(),
  /** Only one wave (0-based). */
  wave: z.number().int().min(0).max(1000).optional(),
  /** Only vehicles whose configuration upload after this campaign's update differs from what it should have left. */
  configDiffers: z.boolean().optional(),
});
export type CampaignVehicleFilter = z.infer<typeof campaignVehicleFilterSchema>;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function filterWhere(campaignId: number, filter: CampaignVehicleFilter): SQL | undefined {
  return and(
    eq(campaignVehicles.campaignId, campaignId),
    filter.phase ? eq(campaignVehicles.phase, filter.phase) : undefined,
    filter.vin ? ilike(campaignVehicles.vin, `%${escapeLike(filter.vin)}%`) : undefined,
    filter.blocked ? isBlocked : undefined,
    filter.stalled ? isStalled : undefined,
    filter.wave !== undefined ? eq(campaignVehicles.wave, filter.wave) : undefined,
    filter.configDiffers ? configDiffersHere : undefined,
  );
}

/** The vehicle's "configuration differs from expected" flag was raised by this campaign's update. */
const configDiffersHere = sql`exists (select 1 from vehicles v where v.vin = "campaign_vehicles"."vin" and (v.config_mismatch->>'campaignId')::int = "campaign_vehicles"."campaign_id")`;

const columns = {
  vin: campaignVehicles.vin,
  model: vehicles.model,
  region: vehicles.region,
  phase: campaignVehicles.phase,
  progress: campaignVehicles.progress,
  lastErrorCode: campaignVehicles.lastErrorCode,
  lastEventAt: campaignVehicles.lastEventAt,
  updatedAt: campaignVehicles.updatedAt,
  wave: campaignVehicles.wave,
  blockedReason: campaignVehicles.blockedReason,
  stalled: sql<boolean>`${isStalled}`.mapWith(Boolean),
  retries: campaignVehicles.retries,
  installProgress: campaignVehicles.installProgress,
  activationProgress: campaignVehicles.activationProgress,
  /** What the upload after this campaign's update showed that differs from what was expected; null when nothing does. */
  configDifferences: sql<string[] | null>`case when (${vehicles.configMismatch}->>'campaignId')::int = ${campaignVehicles.campaignId} then ${vehicles.configMismatch}->'differences' end`,
};

async function requireCampaign(db: Queryable, campaignId: number) {
  const [row] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, campaignId));
  if (!row) throw notFound(`campaign ${campaignId}`);
}

/** One page of a campaign's vehicles, by VIN, filtered by phase, VIN substring, wave, blocked and stalled, with the filtered total. */
export async function listCampaignVehicles(db: Queryable, input: { campaignId: number; filter: CampaignVehicleFilter; page: number; pageSize: number }) {
  await requireCampaign(db, input.campaignId);
  const where = filterWhere(input.campaignId, input.filter);
  const [total] = await db.select({ n: count() }).from(campaignVehicles).innerJoin(campaigns, eq(campaigns.id, campaignVehicles.campaignId)).where(where);
  const rows = await db
    .select(columns)
    .from(campaignVehicles)
    .innerJoin(campaigns, eq(campaigns.id, campaignVehicles.campaignId))
    .innerJoin(vehicles, eq(vehicles.vin, campaignVehicles.vin))
    .where(where)
    .orderBy(asc(campaignVehicles.vin))
    .limit(input.pageSize)
    .offset(input.page * input.pageSize);
  return { total: total?.n ?? 0, rows };
}

const csvHeader = ['vin', 'model', 'region', 'phase', 'progress_percent', 'last_error_code', 'last_event_at', 'updated_at', 'wave', 'blocked_reason', 'stalled'];

/**
 * The whole filtered vehicle list of a campaign as CSV, read in batches of `batchSize` by VIN
 * as the consumer pulls, so a large campaign is never held in memory at once.
 */
export async function streamCampaignVehiclesCsv(db: Queryable, campaignId: number, filter: CampaignVehicleFilter, batchSize = 5000): Promise<ReadableStream<Uint8Array>> {
  await requireCampaign(db, campaignId);
  return csvStream({
    header: csvHeader,
    batchSize,
    nextBatch: (after) =>
      db
        .select(columns)
        .from(campaignVehicles)
        .innerJoin(campaigns, eq(campaigns.id, campaignVehicles.campaignId))
        .innerJoin(vehicles, eq(vehicles.vin, campaignVehicles.vin))
        // The bound on both sides of the join: each batch starts at its VIN in either table
        // instead of reading `vehicles` from the start again (quadratic in the campaign's size).
        .where(and(filterWhere(campaignId, filter), after === null ? undefined : and(gt(campaignVehicles.vin, after), gt(vehicles.vin, after))))
        .orderBy(asc(campaignVehicles.vin))
        .limit(batchSize),
    cells: (r) => [r.vin, r.model, r.region, r.phase, r.progress, r.lastErrorCode, r.lastEventAt, r.updatedAt, r.wave + 1, r.blockedReason, r.stalled],
  });
}
