import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorStatus } from '../errors';
import { servesPath } from './routes';

// docs/vehicle-api.md must not promise what the code does not do: every error code it names is
// one the server answers (with the status it says), every vehicle path it shows is served
// (except those it shows answering "no vehicle endpoint"), and every source file it cites exists.
const doc = readFileSync(path.resolve('docs/vehicle-api.md'), 'utf8');
const unique = <T,>(list: T[]) => [...new Set(list)];

describe('docs/vehicle-api.md is in step with the code', () => {
  it('names only error codes the server has, each with its own HTTP status', () => {
    const pairs = unique([
      ...[...doc.matchAll(/\b([1-5]\d\d) `?([A-Z][A-Z_]{3,})\b/g)].map((m) => `${m[1]} ${m[2]}`),
      ...[...doc.matchAll(/^\| ([1-5]\d\d) \| `([A-Z][A-Z_]+)` \|/gm)].map((m) => `${m[1]} ${m[2]}`),
    ]);
    const codes = unique([...doc.matchAll(/"code": ?"([A-Z][A-Z_]+)"/g)].map((m) => m[1]!));
    expect(pairs.length).toBeGreaterThan(5);
    expect(pairs.filter((p) => !(p.split(' ')[1]! in errorStatus) || String(errorStatus[p.split(' ')[1] as keyof typeof errorStatus]) !== p.split(' ')[0])).toEqual([]);
    expect(codes.filter((c) => !(c in errorStatus))).toEqual([]);
  });

  it('shows only vehicle paths the routing table serves', () => {
    const unserved = new Set([...doc.matchAll(/no vehicle endpoint (?:GET|POST|PUT) (\S+?);/g)].map((m) => m[1]!));
    const paths = unique([...doc.matchAll(/((?:\/api\/ota\/v1|\/cdn\/v1)\/[A-Za-z0-9_{}.…-]+(?:\/[A-Za-z0-9_{}.…-]+)*)/g)].map((m) => m[1]!));
    expect(paths.length).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const documented of paths) {
      const concrete = documented.replace(/\{[^}]+\}/g, '1').replace(/…/g, 'x');
      const served = servesPath(concrete);
      if (served === unserved.has(documented)) missing.push(`${documented} (${served ? 'served, but documented as unknown' : 'not served'})`);
    }
    expect(missing).toEqual([]);
  });

  it('cites only source files that exist', () => {
    const files = unique([...doc.matchAll(/`((?:server|app|db|e2e|drizzle)\/[A-Za-z0-9_./[\]()-]+\.(?:ts|tsx|sql))`/g)].map((m) => m[1]!));
    expect(files.length).toBeGreaterThan(3);
    expect(files.filter((f) => !existsSync(path.resolve(f)))).toEqual([]);
  });
});
