import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../db';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';
import { postJson } from '../testing/vehicle-client';

describe('software package download (C_14)', () => {
  let server: Awaited<ReturnType<typeof startVehicleApiServer>>;
  let url: string;
  let expected: { sha256: string; length: number };

  beforeAll(async () => {
    server = await startVehicleApiServer();
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const { bytes } = await makeDeployedCampaign(db, [vin], { size: 1_000_000 });
    expected = { sha256: createHash('sha256').update(bytes).digest('hex'), length: bytes.length };
    const offer = await postJson('/api/ota/v1/config', { signed: { vin, primaryId: '0', ecuVersionManifests: [], augmentedManifest: { packageStorage: { available: 100 } } } });
    const target = (await offer.json()).signed.body.targetsMetadata[0].metadata.signed.body.targets[0].target;
    url = target.fileDownloadUrl.replace('http://ota.test', server.url);
  });
  afterAll(() => server?.close());

  it('resumes an interrupted download with Range and ends with the same sha256', async () => {
    const hash = createHash('sha256');
    // First attempt: read about a third, then drop the connection.
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe(`"${expected.sha256}"`);
    expect(first.headers.get('content-length')).toBe(String(expected.length));
    expect(first.headers.get('accept-ranges')).toBe('bytes');
    const reader = first.body!.getReader();
    let received = 0;
    while (received < expected.length / 3) {
      const { value, done } = await reader.read();
      if (done) break;
      hash.update(value);
      received += value.byteLength;
    }
    await reader.cancel();
    expect(received).toBeLessThan(expected.length);

    const rest = await fetch(url, { headers: { range: `bytes=${received}-`, 'if-range': first.headers.get('etag')! } });
    expect(rest.status).toBe(206);
    expect(rest.headers.get('content-range')).toBe(`bytes ${received}-${expected.length - 1}/${expected.length}`);
    const tail = new Uint8Array(await rest.arrayBuffer());
    expect(tail.byteLength).toBe(expected.length - received);
    hash.update(tail);
    expect(hash.digest('hex')).toBe(expected.sha256);
  });

  it('answers a suffix range, 416 beyond the end, 304 for a known ETag, and HEAD without a body', async () => {
    const suffix = await fetch(url, { headers: { range: 'bytes=-100' } });
    expect(suffix.status).toBe(206);
    expect((await suffix.arrayBuffer()).byteLength).toBe(100);

    const beyond = await fetch(url, { headers: { range: `bytes=${expected.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${expected.length}`);
    expect((await beyond.json()).error.code).toBe('RANGE_NOT_SATISFIABLE');

    const cached = await fetch(url, { headers: { 'if-none-match': `"${expected.sha256}"` } });
    expect(cached.status).toBe(304);

    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(expected.length));
  });

  it('sends the whole file again when If-Range names another version', async () => {
    const res = await fetch(url, { headers: { range: 'bytes=10-', 'if-range': '"stale"' } });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(expected.length);
  });

  it('declares Content-Length on every 200 and 206 (never chunked), and HEAD has the GET headers without a body', async () => {
    // Per response: its date and request id.
    const shown = (res: Response) => Object.fromEntries([...res.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'x-request-id'].includes(name)));
    for (const range of [undefined, 'bytes=1000-1999']) {
      const headers: Record<string, string> = range ? { range } : {};
      const get = await fetch(url, { headers });
      const body = await get.arrayBuffer();
      expect(get.status).toBe(range ? 206 : 200);
      expect(get.headers.get('content-length')).toBe(String(body.byteLength));
      expect(get.headers.get('transfer-encoding')).toBeNull();
      const head = await fetch(url, { method: 'HEAD', headers });
      expect(head.status).toBe(get.status);
      expect(shown(head)).toEqual(shown(get));
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    }
  });
});
