import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConfig } from '../config';
import { getDb } from '../db';
import { listen, nodeListener } from '../http/node-adapter';
import { applyTimeouts, guardRequests } from '../http/request-guard';
import { handleVehicleRequest, isVehiclePath } from '../vehicle-api/routes';
import { describeReport, hostileRequests, runFuzz } from './hostile-requests';

// The CI-sized version of `npm run fuzz`: 500 hostile requests through the production entry's
// front door and the vehicle API (as `npm run serve:vehicle-api` serves them), over HTTP.
describe('500 hostile requests', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    await getDb();
    const config = getConfig();
    const vehicle = nodeListener(handleVehicleRequest);
    server = createServer(guardRequests(config, { isVehicle: isVehiclePath, vehicle, dashboard: vehicle }));
    applyTimeouts(server, config);
    url = await listen(server, 0);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('get no 5xx and no dropped connection, and the server stays healthy', async () => {
    const report = await runFuzz(url, hostileRequests(500, 20261202), { concurrency: 8 });
    expect(report.failures, describeReport(report)).toEqual([]);
    // The mix reaches the interesting answers, not only 404s.
    for (const status of ['400', '404', '405', '413']) expect(report.byStatus.get(status) ?? 0, `${status} in\n${describeReport(report)}`).toBeGreaterThan(0);
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
  });
});
