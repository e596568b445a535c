import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resetConfig } from '../config';
import { closeDb } from '../db';
import { metrics } from '../metrics/registry';
import { callVehicleApi, postJson } from '../testing/vehicle-client';

describe('when the database cannot be reached', () => {
  const saved = { url: process.env.DATABASE_URL, deadline: process.env.REQUEST_DEADLINE_MS };
  const restore = (name: string, value: string | undefined) => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  afterAll(async () => {
    restore('DATABASE_URL', saved.url);
    restore('REQUEST_DEADLINE_MS', saved.deadline);
    resetConfig();
    await closeDb();
  });

  it('answers UNAVAILABLE with Retry-After, not NOT_FOUND or a 500', async () => {
    await closeDb();
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    process.env.DATABASE_URL = 'postgres://ota:ota@127.0.0.1:1/ota';
    resetConfig();
    const res = await postJson('/api/ota/v1/action', { signed: { vin: 'vinUpdate20231008', primaryId: '0' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const body = await res.json();
    expect(body.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('database') });
  });

  describe('a database that accepts connections and never answers (a restart, a network partition)', () => {
    let blackhole: Server;
    const sockets = new Set<Socket>();
    afterEach(async () => {
      await closeDb().catch(() => {});
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackhole?.close(resolve));
    });

    it('answers every vehicle request and the health check 503 within REQUEST_DEADLINE_MS', async () => {
      blackhole = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => {});
      });
      await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
      const { port } = blackhole.address() as { port: number };
      await closeDb();
      process.env.DATABASE_URL = `postgres://ota:ota@127.0.0.1:${port}/ota`;
      process.env.REQUEST_DEADLINE_MS = '600';
      resetConfig();

      // How many deadline 503s of C_36 /metrics counted so far.
      const counted = async () =>
        (await metrics().vehicleRequests.get()).values.find(
          (v) => v.metricName === 'ota_vehicle_request_duration_seconds_count' && v.labels.endpoint === '/api/ota/v1/C_36' && v.labels.status === '503',
        )?.value ?? 0;
      const before = await counted();
      const started = performance.now();
      const answers = await Promise.all([
        postJson('/api/ota/v1/C_36', { signed: { vin: 'vinUpdate20231008', primaryId: '0' } }),
        postJson('/api/ota/v1/notification', {
          signed: { vin: 'vinUpdate20231008', primaryId: '0', events: [{ eventsUuid: 'late-1', eventsType: 'download', status: 'started', currentTime: { time: 1696928154 } }] },
        }),
        callVehicleApi('/cdn/v1/campaigns/1/repro-policy'),
        callVehicleApi('/api/health'),
      ]);
      const took = performance.now() - started;
      expect(took).toBeGreaterThanOrEqual(590);
      expect(took).toBeLessThan(1_500);
      for (const res of answers) {
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        expect(res.headers.get('content-type')).toContain('application/json');
        expect((await res.json()).error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('600 ms') });
      }
      expect(sockets.size).toBeGreaterThan(0);
      // A deadline's answer is timed and counted like any other.
      expect(await counted()).toBe(before + 1);
    });
  });
});
