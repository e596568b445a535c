// `npm start`: the one production entry. Dashboard and vehicle API on one port (PORT, default
// 3000). The vehicle paths (/api/ota/v1/…, /cdn/…, /api/health) go straight from node:http
// to their `(Request) => Promise<Response>` handlers in server/vehicle-api/routes.ts;
// everything else goes to Next's request handler (a Next.js "custom server"). Both behind the
// front door of request-guard.ts (client address, JSON for bad methods and targets, limits per
// address, security headers) and node:http's timeouts.
//
// Runs under tsx with NODE_ENV=production on an existing `next build` (package.json).
// Next's bundle and the modules loaded here are different module instances: the database
// handle, the signing key, the config and the "already started" flag live on globalThis, so
// there is one of each per process (server/db.ts, server/startup.ts).
import { createServer } from 'node:http';
import next from 'next';
import { getConfig } from '../config';
import { closeDb } from '../db';
import { logger, withRequestContext } from '../logging/logger';
import { startServerProcessOrExit } from '../startup';
import { handleVehicleRequest, isVehiclePath } from '../vehicle-api/routes';
import { requestIdOf } from './instrument';
import { closeOnSignals, listen, nodeListener } from './node-adapter';
import { applyTimeouts, guardRequests } from './request-guard';

// Settings, server key, database (migrations, demo data, first users), rollout sweep: once.
// instrumentation.ts, which Next runs in app.prepare(), finds it done.
await startServerProcessOrExit();
const config = getConfig();
const app = next({ dev: false, dir: process.cwd(), hostname: config.HOST, port: config.PORT });
const nextHandler = app.getRequestHandler();
await app.prepare();

const server = createServer(
  guardRequests(config, {
    isVehicle: isVehiclePath,
    vehicle: nodeListener(handleVehicleRequest),
    dashboard: (req, res) => {
      // The dashboard's requests get a request id too: every line logged while serving one carries it.
      const requestId = requestIdOf(req.headers['x-request-id'] as string | undefined);
      res.setHeader('x-request-id', requestId);
      withRequestContext({ requestId }, () => void nextHandler(req, res));
    },
  }),
);
applyTimeouts(server, config);
closeOnSignals(server, async () => {
  await app.close();
  await closeDb();
});
const url = await listen(server, config.PORT, config.HOST);
logger.info({ url }, `dashboard and vehicle API listening on ${url}`);
