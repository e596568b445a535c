// `npm run serve:vehicle-api`: the vehicle API alone on node:http (PORT, default 3000), the
// same handlers and routing table as `npm start` without loading Next.js: no build needed, a
// second-fast start and a smaller process. For instances that only serve vehicles (behind a
// proxy that routes /api/ota/v1/… and /cdn/… to them) and for `npm run bench`.
import { getConfig } from '../config';
import { closeDb } from '../db';
import { startServerProcessOrExit } from '../startup';
import { createServer } from 'node:http';
import { handleVehicleRequest } from '../vehicle-api/routes';
import { logger } from '../logging/logger';
import { closeOnSignals, listen, nodeListener } from './node-adapter';
import { applyTimeouts, guardRequests } from './request-guard';

await startServerProcessOrExit();
const config = getConfig();
const vehicleApi = nodeListener(handleVehicleRequest);
// Every path is the vehicle API's here (it answers JSON 404 for the dashboard's).
const server = createServer(guardRequests(config, { isVehicle: () => true, vehicle: vehicleApi, dashboard: vehicleApi }));
applyTimeouts(server, config);
closeOnSignals(server, closeDb);
const url = await listen(server, config.PORT, config.HOST);
logger.info({ url }, `vehicle API listening on ${url}`);
