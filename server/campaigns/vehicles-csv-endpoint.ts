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
    const campaignId = idAfter(req, 'campaigns');
    const params = new URL(req.url).searchParams;
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
    const body = await streamCampaignVehiclesCsv(await getDb(), campaignId, filter.data);
    return new Response(body, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="campaign-${campaignId}-vehicles${filter.data.phase ? `-${filter.data.phase}` : ''}.csv"`,
        'cache-control': 'no-store',
      },
    });
  });
}

export const getCampaignVehiclesCsv = createCampaignVehiclesCsvHandler();
