import { auditEntrySchema, pageAudit } from '../audit/audit-page';
import { operation } from './operation';
import { keysetBefore, keysetCursor, pageOf, pageQuerySchema } from './paging';

export const auditOperations = [
  operation({
    method: 'GET',
    path: '/audit-log',
    tag: 'Audit',
    summary: 'The audit log, newest first',
    role: 'admin',
    procedure: 'audit.list',
    query: pageQuerySchema,
    response: { status: 200, json: pageOf(auditEntrySchema) },
    handle: async ({ db, query }) => {
      const page = await pageAudit(db, { limit: query.limit, before: keysetBefore(query) });
      return { items: page.entries, nextCursor: keysetCursor(page.nextBefore) };
    },
  }),
];
