import { handleVehicleRequest } from '../vehicle-api/routes';

export const TEST_ORIGIN = 'http://ota.test';

/** Calls the vehicle API in process, as the route handlers do (no network). */
export function callVehicleApi(path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  return handleVehicleRequest(
    new Request(`${TEST_ORIGIN}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': 'application/json', ...init.headers },
      body: init.body,
    }),
  );
}

export const postJson = (path: string, value: unknown) => callVehicleApi(path, { body: JSON.stringify(value) });
