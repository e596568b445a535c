import { afterAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../config';
import { closeDb } from '../db';
import { postJson } from '../testing/vehicle-client';

describe('when the database cannot be reached', () => {
  const saved = process.env.DATABASE_URL;
  afterAll(async () => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
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
});
