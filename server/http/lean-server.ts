// The vehicle API alone on node:http, without Next's per-request pipeline:
// `npm run serve:vehicle-api` (PORT, default 3001). The dashboard still needs `npm start`.
import { getDb, getDbHandle } from '../db';
import { startRolloutSweeper } from '../rollout/sweep';
import { handleVehicleRequest } from '../vehicle-api/routes';
import { createHandlerServer, listen } from './node-adapter';

const port = Number(process.env.PORT ?? 3001);
await getDbHandle();
startRolloutSweeper(getDb);
const url = await listen(createHandlerServer(handleVehicleRequest), port, process.env.HOST ?? '0.0.0.0');
console.log(`vehicle API listening on ${url}`);
