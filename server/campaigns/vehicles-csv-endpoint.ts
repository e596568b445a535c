import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { getSessionUser } from '../auth/session';
import { requireSessionRole, type SessionSource } from '../auth/route-session';
import { getDb } from '../db';
import { invalid } from '../errors';
import { idAfter } from '../vehicle-api/path-params';
import { endpoint, type Handler } from '../http/endpoint';
import { campaignVehicleFilterSchema, streamCampaignVehiclesCsv } from './campaign-vehicles';

/**
 * GET /api/campaigns/[id]/vehicles.csv?phase=…&vin=…&wave=N&blocked=1&stalled=1&configDiffers=1: the filtered
 * vehicle list as a CSV download (any signed-in role). `wave` counts from 1, as the page shows it.
 */
export function createCampaignVehiclesCsvHandler(getUser: SessionSource = getSessionUser): Handler {
  return endpoint(async (req) => {
    await requireSessionRole(getUser, 'support');
    return campaignVehiclesCsv(await getDb(), idAfter(req, 'campaigns'), new URL(req.url).searchParams);
  });
}

/** The query of a campaign's vehicles CSV, as the OpenAPI document describes it (read by `campaignVehiclesCsv`). */
export const campaignVehiclesCsvQuerySchema = z.object({
  phase: z.string().optional().describe('Only vehicles in this phase'),
  vin: z.string().optional().describe('Part of the VIN'),
  wave: z.string().optional().describe('Only this wave, counting from 1'),
  blocked: z.string().optional().describe('1: only vehicles not offered the campaign'),
  stalled: z.string().optional().describe('1: only vehicles silent too long on their way'),
  configDiffers: z.string().optional().describe('1: only vehicles whose configuration differs from the expected one'),
});

/** The filtered vehicle list of a campaign as a CSV download; the dashboard route and the REST API answer with it. */
export async function campaignVehiclesCsv(db: Queryable, campaignId: number, params: URLSearchParams): Promise<Response> {
  const wave = params.get('wave');
  const filter = campaignVehicleFilterSchema.safeParse({
    phase: params.get('phase') || undefined,
    vin: params.get('vin') || undefined,
    blocked: params.get('blocked') === '1' || undefined,
    stalled: params.get('stalled') === '1' || undefined,
    configDiffers: params.get('configDiffers') === '1' || undefined,
    wave: wave ? (/^\d{1,4}$/.test(wave) && Number(wave) > 0 ? Number(wave) - 1 : -1) : undefined,
  });
  if (!filter.success) throw invalid(`Unknown filter: ${filter.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const body = await streamCampaignVehiclesCsv(db, campaignId, filter.data);
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="campaign-${campaignId}-vehicles${filter.data.phase ? `-${filter.data.phase}` : ''}.csv"`,
      'cache-control': 'no-store',
    },
  });
}

export const getCampaignVehiclesCsv = createCampaignVehiclesCsvHandler();
