import { z } from 'zod';
import type { AnyOperation } from './operation';

export const REST_BASE = '/api/v1';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[]; description?: string };

/** JSON Schema of a zod schema, as requests are read (`input`) or answers written (`output`); dates travel as ISO 8601 text. */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: (ctx) => {
      if ((ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def.type === 'date') {
        ctx.jsonSchema.type = 'string';
        ctx.jsonSchema.format = 'date-time';
      }
    },
  }) as JsonSchema;
  return rest;
}

/** The parameters of a path or query schema (an object), one per property. */
function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchemaOf(schema, 'input');
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return { name, in: where, required: where === 'path' || (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: propertySchema };
  });
}

const errorShape = z.object({
  error: z.object({
    code: z.string().describe('One of the closed set: INVALID_JSON, INVALID_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, METHOD_NOT_ALLOWED, CONFLICT, PAYLOAD_TOO_LARGE, INTERNAL, UNAVAILABLE'),
    message: z.string().describe('What went wrong and what to do, for people'),
    details: z.array(z.object({ path: z.string(), message: z.string() })).describe('One entry per field at fault (e.g. body.name)'),
    requestId: z.string().optional().describe('On INTERNAL and UNAVAILABLE: quote it when reporting'),
  }),
});

const errorResponses = {
  BadRequest: 'The request is not valid: a field, the JSON or the cursor (INVALID_REQUEST, INVALID_JSON)',
  Unauthorized: 'No API token, or one that is unknown, revoked or expired (UNAUTHORIZED)',
  Forbidden: 'The token’s role is below the one this operation needs (FORBIDDEN)',
  NotFound: 'The thing named in the path does not exist (NOT_FOUND)',
  Conflict: 'The change is not possible in the current state (CONFLICT)',
  PayloadTooLarge: 'The file is larger than PACKAGE_UPLOAD_MAX_BYTES (PAYLOAD_TOO_LARGE)',
  Internal: 'An unexpected failure; the message carries a request id (INTERNAL), or the database is unreachable (UNAVAILABLE, 503)',
} as const;
const ref = (name: keyof typeof errorResponses) => ({ $ref: `#/components/responses/${name}` });

/** `POST /campaigns/{id}/deploy` → `postCampaignsIdDeploy`. */
export const operationIdOf = (op: AnyOperation) =>
  op.method.toLowerCase() + op.path.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

function describeOperation(op: AnyOperation) {
  const errors: Record<string, unknown> = { '400': ref('BadRequest') };
  if (op.role) Object.assign(errors, { '401': ref('Unauthorized'), '403': ref('Forbidden') });
  if (op.params) errors['404'] = ref('NotFound');
  if (op.method !== 'GET') errors['409'] = ref('Conflict');
  if (op.body && 'raw' in op.body) errors['413'] = ref('PayloadTooLarge');
  errors['500'] = ref('Internal');
  const response = op.response;
  return {
    operationId: operationIdOf(op),
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, op.role ? `Needs the **${op.role}** role (or a higher one).` : 'Public: no token needed.'].filter(Boolean).join('\n\n'),
    'x-role': op.role,
    security: op.role ? [{ bearerAuth: [] }] : [],
    parameters: [...parametersOf(op.params, 'path'), ...parametersOf(op.query, 'query')],
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content:
              'json' in op.body
                ? { 'application/json': { schema: jsonSchemaOf(op.body.json, 'input') } }
                : { [op.body.raw.contentType]: { schema: { type: 'string', format: 'binary', description: op.body.raw.description } } },
          },
        }
      : {}),
    responses: {
      [String(response.status)]:
        'json' in response
          ? { description: op.summary, content: { 'application/json': { schema: jsonSchemaOf(response.json, 'output') } } }
          : { description: response.raw.description, content: { [response.raw.contentType]: { schema: { type: 'string' } } } },
      ...errors,
    },
  };
}

/** The OpenAPI 3.1 document of the REST API, generated from the routing table's zod schemas. */
export function buildOpenApiDocument(operations: AnyOperation[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) (paths[REST_BASE + op.path] ??= {})[op.method.toLowerCase()] = describeOperation(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'OTA platform management API',
      version: '1',
      description:
        'Packages, campaigns, vehicles, commands and the audit log, as the dashboard manages them. Authenticate with `Authorization: Bearer <API token>` (Admin → API tokens, or `npm run token -- create`). Lists are paged with `?cursor=&limit=` and answer `{items, nextCursor}`. Every error is `{error: {code, message, details}}`.',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(operations.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token (ota_…); its role is the one it was created with' } },
      schemas: { Error: jsonSchemaOf(errorShape, 'output') },
      responses: Object.fromEntries(
        Object.entries(errorResponses).map(([name, description]) => [name, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]),
      ),
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
