import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { callRest } from '../testing/rest';
import { REST_BASE } from './openapi';
import { restOperations } from './routes';

const methods = ['get', 'post', 'put', 'delete', 'patch'];

describe('GET /api/v1/openapi.json', () => {
  it('is public and documents every operation of the table, and only those', async () => {
    const res = await callRest('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, item]) =>
      Object.keys(item)
        .filter((m) => methods.includes(m))
        .map((m) => `${m.toUpperCase()} ${p}`),
    );
    const table = restOperations.map((op) => `${op.method} ${REST_BASE}${op.path}`);
    expect(documented.sort()).toEqual([...table].sort());
    expect(new Set(table).size).toBe(table.length);
  });

  it('names the role, the bearer scheme, the parameters and the error answers of an operation', async () => {
    const doc = await (await callRest('GET', '/openapi.json')).json();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const deploy = doc.paths[`${REST_BASE}/campaigns/{id}/deploy`].post;
    expect(deploy).toMatchObject({ tags: ['Campaigns'], 'x-role': 'operator', security: [{ bearerAuth: [] }] });
    expect(deploy.description).toContain('Needs the **operator** role');
    expect(deploy.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true, schema: expect.objectContaining({ type: 'integer' }) })]);
    expect(Object.keys(deploy.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409', '500']));
    expect(doc.components.responses.Forbidden.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });

    const create = doc.paths[`${REST_BASE}/campaigns`].post;
    const draft = create.requestBody.content['application/json'].schema;
    expect(draft.required).toEqual(expect.arrayContaining(['name', 'vehiclePackageId', 'reproPolicy', 'target']));
    expect(draft.properties.startsAt).toMatchObject({ anyOf: expect.arrayContaining([expect.objectContaining({ type: 'string', format: 'date-time' })]) });

    const list = doc.paths[`${REST_BASE}/campaigns`].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(['cursor', 'limit', 'status']);
    expect(list.responses['200'].content['application/json'].schema.properties).toMatchObject({ items: { type: 'array' }, nextCursor: expect.anything() });

    const upload = doc.paths[`${REST_BASE}/software-packages`].post;
    expect(upload.requestBody.content['application/octet-stream'].schema).toMatchObject({ type: 'string', format: 'binary' });
    expect(upload.parameters.filter((p: { required: boolean }) => p.required).map((p: { name: string }) => p.name)).toEqual(['name', 'version', 'targetEcu', 'fileName']);
    expect(upload.responses['413']).toBeDefined();
  });

  it('holds no reference the document cannot resolve', async () => {
    const text = await (await callRest('GET', '/openapi.json')).text();
    const refs = [...text.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    const doc = JSON.parse(text);
    for (const ref of refs) {
      expect(ref.startsWith('#/components/'), ref).toBe(true);
      expect(ref.slice(2).split('/').reduce((node, key) => node?.[key], doc), ref).toBeDefined();
    }
  });

  it('is served by the catch-all route file for every method the table uses', () => {
    const route = readFileSync(path.resolve(import.meta.dirname, '../../app/api/v1/[...path]/route.ts'), 'utf8');
    expect(route).toContain("from '@/server/rest/handle-request'");
    for (const method of new Set(restOperations.map((op) => op.method))) expect(route).toMatch(new RegExp(`handleRestRequest as ${method}\\b`));
  });
});
