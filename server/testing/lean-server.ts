import type { Server } from 'node:http';
import { createHandlerServer, listen } from '../http/node-adapter';
import { handleVehicleRequest } from '../vehicle-api/routes';

/** The vehicle API on a real loopback port, for tests that speak HTTP like a vehicle does. */
export async function startVehicleApiServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createHandlerServer(handleVehicleRequest);
  const url = await listen(server, 0);
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
