import { userActor } from '../auth/actor';
import { getSessionUser } from '../auth/session';
import { requireSessionRole, type SessionSource } from '../auth/route-session';
import { recordAudit } from '../audit/record-audit';
import { getDb } from '../db';
import { invalid } from '../errors';
import { endpoint, type Handler } from '../http/endpoint';
import { registerFilterSchema, streamRegister } from './search-register';

/**
 * GET /api/register/export?format=csv|json&vin=…&campaignId=N&rxswin=…&from=YYYY-MM-DD&to=YYYY-MM-DD&outcome=…:
 * the software register rows the Compliance page shows, streamed (any signed-in role). Each
 * export writes an audit row naming who exported what.
 */
export function createRegisterExportHandler(getUser: SessionSource = getSessionUser): Handler {
  return endpoint(async (req) => {
    const user = await requireSessionRole(getUser, 'support');
    const params = new URL(req.url).searchParams;
    const format = params.get('format') ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw invalid(`Unknown format "${format}": use csv or json`);
    const campaignId = params.get('campaignId');
    const parsed = registerFilterSchema.safeParse({
      vin: params.get('vin') || undefined,
      campaignId: campaignId ? (/^\d{1,9}$/.test(campaignId) ? Number(campaignId) : -1) : undefined,
      rxswin: params.get('rxswin') || undefined,
      from: params.get('from') || undefined,
      to: params.get('to') || undefined,
      outcome: params.get('outcome') || undefined,
    });
    if (!parsed.success) throw invalid(`Unknown filter: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const db = await getDb();
    await recordAudit(db, userActor(user), 'register.export', { type: 'software_register' }, { format, filter: parsed.data });
    const stamp = new Date().toISOString().slice(0, 10);
    return new Response(streamRegister(db, parsed.data, format), {
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="software-register-${stamp}.${format}"`,
        'cache-control': 'no-store',
      },
    });
  });
}

export const getRegisterExport = createRegisterExportHandler();
