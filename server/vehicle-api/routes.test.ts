// `npm start` serves the vehicle API from the table in routes.ts; `npm run dev` (Next alone)
// serves it from app/**/route.ts. These tests keep the two from drifting apart: each path of
// the table is answered by the same handler function under Next, and no route file under the
// table's prefixes answers something the table does not know.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleVehicleRequest, isVehiclePath, routesAt, vehicleRoutes } from './routes';

const root = path.resolve(import.meta.dirname, '../..');
const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type RouteModule = Partial<Record<(typeof methods)[number], unknown>>;

/** Every app/**\/route.ts under `dir`, as its URL path in file-route syntax. */
function routePaths(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(root, 'app', dir), { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...routePaths(child));
    else if (entry.name === 'route.ts') found.push(`/${dir}`);
  }
  return found;
}

const fileRoutes = [...routePaths('api/ota'), ...routePaths('cdn'), ...routePaths('api/health'), ...routePaths('metrics')];
const load = (urlPath: string) => import(path.join(root, 'app', urlPath, 'route.ts')) as Promise<RouteModule>;
const catchAllOf = (urlPath: string) => fileRoutes.find((p) => p.endsWith('/[...path]') && urlPath.startsWith(p.slice(0, -'[...path]'.length)));
/** A concrete URL for a file-route path: `[id]` becomes `7`. */
const sample = (urlPath: string) => urlPath.replace(/\[\.\.\.[^\]]+\]/, 'anything/else').replace(/\[[^\]]+\]/g, '7');

describe('the routing table and the Next.js route files', () => {
  it('finds the route files it compares', () => {
    expect(fileRoutes).toContain('/api/health');
    expect(fileRoutes).toContain('/api/ota/v1/[...path]');
    expect(fileRoutes).toContain('/cdn/v1/software-packages/[id]');
  });

  it('answers every path of the table under Next with the same handler function', async () => {
    for (const route of vehicleRoutes) {
      if (existsSync(path.join(root, 'app', route.path, 'route.ts'))) {
        const mod = await load(route.path);
        expect(mod[route.method], `${route.method} ${route.path}`).toBe(route.handler);
        if (route.method === 'GET' && mod.HEAD !== undefined) expect(mod.HEAD, `HEAD ${route.path}`).toBe(route.handler);
      } else {
        // The C-code aliases: Next hands them to the catch-all, which dispatches through this table.
        const catchAll = catchAllOf(route.path);
        expect(catchAll, `no route file and no catch-all for ${route.path}`).toBeDefined();
        expect((await load(catchAll!))[route.method], `${route.method} ${route.path} via ${catchAll}`).toBe(handleVehicleRequest);
      }
    }
  });

  it('has no route file under the vehicle paths that the table does not know', async () => {
    for (const urlPath of fileRoutes) {
      const mod = await load(urlPath);
      if (urlPath.endsWith('[...path]')) {
        for (const method of methods) if (mod[method] !== undefined) expect(mod[method], `${method} ${urlPath}`).toBe(handleVehicleRequest);
        continue;
      }
      const inTable = vehicleRoutes.filter((r) => r.path === urlPath);
      expect(inTable.length, `${urlPath} is not in server/vehicle-api/routes.ts`).toBeGreaterThan(0);
      for (const method of methods) {
        if (mod[method] === undefined) continue;
        const served = inTable.find((r) => r.method === (method === 'HEAD' ? 'GET' : method));
        // A method the table does not serve there answers the table's JSON 405 (notServed).
        expect(mod[method], `${method} ${urlPath}`).toBe(served ? served.handler : handleVehicleRequest);
      }
    }
  });

  it('sends every path of the table, and nothing of the dashboard, past Next in the production entry', () => {
    for (const route of vehicleRoutes) {
      expect(isVehiclePath(sample(route.path)), route.path).toBe(true);
      expect(routesAt(sample(route.path)), route.path).toContain(route);
    }
    expect(isVehiclePath('/cdn/v1/software-packages/7?expires=1&signature=x')).toBe(true);
    expect(isVehiclePath('/api/ota/v1/no-such-endpoint')).toBe(true);
    for (const dashboard of ['/', '/signin', '/campaigns/18', '/api/trpc/overview.fleet', '/api/auth/session', '/api/packages/upload', '/api/logs/5', '/_next/static/x.js']) {
      expect(isVehiclePath(dashboard), dashboard).toBe(false);
    }
  });
});
