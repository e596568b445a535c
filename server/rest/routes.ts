import { z } from 'zod';
import { auditOperations } from './audit';
import { campaignOperations } from './campaigns';
import { commandOperations } from './commands';
import { buildOpenApiDocument } from './openapi';
import { operation, type AnyOperation } from './operation';
import { packageOperations } from './packages';
import { vehicleKeyOperations } from './vehicle-keys';
import { vehicleOperations } from './vehicles';
import { webhookOperations } from './webhooks';

/**
 * The REST management API's routing table, one entry per operation (method, path under
 * /api/v1, role, schemas, handler). The dispatcher (`handle-request.ts`), the OpenAPI document
 * and the role test all read it; add an operation here (or to its domain's list) and it is
 * served, documented and tested.
 */
export const restOperations: AnyOperation[] = [
  ...packageOperations,
  ...campaignOperations,
  ...vehicleOperations,
  ...vehicleKeyOperations,
  ...commandOperations,
  ...auditOperations,
  ...webhookOperations,
  operation({
    method: 'GET',
    path: '/openapi.json',
    tag: 'Meta',
    summary: 'This API’s OpenAPI 3.1 document',
    role: null,
    response: { status: 200, json: z.record(z.string(), z.unknown()) },
    handle: async () => buildOpenApiDocument(restOperations),
  }),
];
