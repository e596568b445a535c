import { userActor } from '../auth/actor';
import { getSessionUser } from '../auth/session';
import { requireSessionRole, type SessionSource } from '../auth/route-session';
import { recordAudit } from '../audit/record-audit';
import { getDb } from '../db';
import { invalid } from '../errors';
import { endpoint, type Handler } from '../http/endpoint';
import { inventoryFilterSchema, streamInventoryCsv } from './fleet-inventory';

/**
 * GET /api/vehicles.csv?q=…&model=…&region=…&rxswin=…&ecuId=…&ecuVersion=…: the vehicle list with
 * the same filters as CSV, streamed, with each vehicle's ECU versions and RXSWIN (any signed-in
 * role; audited, as it is a fleet inventory).
 */
export function createInventoryCsvHandler(getUser: SessionSource = getSessionUser): Handler {
  return endpoint(async (req) => {
    const user = await requireSessionRole(getUser, 'support');
    const params = new URL(req.url).searchParams;
    const filter = inventoryFilterSchema.safeParse(Object.fromEntries(['q', 'model', 'region', 'rxswin', 'ecuId', 'ecuVersion'].map((k) => [k, params.get(k) || undefined])));
    if (!filter.success) throw invalid(`Unknown filter: ${filter.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const db = await getDb();
    await recordAudit(db, userActor(user), 'vehicle.export', { type: 'vehicle' }, { filter: filter.data });
    return new Response(streamInventoryCsv(db, filter.data), {
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="vehicles.csv"', 'cache-control': 'no-store' },
    });
  });
}

export const getInventoryCsv = createInventoryCsvHandler();
