import { expect, test, type APIResponse } from '@playwright/test';

// Against the production entry (`npm start`, which playwright.config.ts starts): what a
// vehicle sizing its storage or checking completeness reads from the download headers.
const vin = '12345678901234567';
// Everything but what differs per response: its date, connection state and request id.
const comparable = (res: APIResponse) => {
  const { date, connection, 'keep-alive': keepAlive, 'x-request-id': requestId, ...rest } = res.headers();
  return rest;
};

test('downloads carry Content-Length on 200 and 206, and HEAD has the same headers with no body', async ({ request }) => {
  const meta = await request.get(`/cdn/v1/campaigns/18/download-metadata?vin=${vin}`);
  expect(meta.status(), await meta.text()).toBe(200);
  const text = await meta.text();
  const urls = [...new Set(text.match(/https?:\/\/[^"]+\/cdn\/v1\/(?:vehicle|software)-packages\/[^"]+/g))];
  // C_11 (the vehicle package manifest) and C_14 (the 512 KiB firmware).
  expect(urls.some((u) => u.includes('/vehicle-packages/'))).toBe(true);
  expect(urls.some((u) => u.includes('/software-packages/'))).toBe(true);

  for (const url of urls) {
    const whole = await request.get(url);
    expect(whole.status(), url).toBe(200);
    const size = (await whole.body()).byteLength;
    expect(whole.headers()['content-length'], url).toBe(String(size));
    expect(whole.headers()['transfer-encoding'], url).toBeUndefined();

    const part = await request.get(url, { headers: { range: 'bytes=10-' } });
    expect(part.status(), url).toBe(206);
    expect(part.headers()['content-length'], url).toBe(String(size - 10));
    expect(part.headers()['content-range'], url).toBe(`bytes 10-${size - 1}/${size}`);
    expect((await part.body()).byteLength, url).toBe(size - 10);

    for (const [get, headers] of [[whole, {}], [part, { range: 'bytes=10-' }]] as const) {
      const head = await request.head(url, { headers });
      expect(head.status(), url).toBe(get.status());
      expect(comparable(head), url).toEqual(comparable(get));
      expect((await head.body()).byteLength, url).toBe(0);
    }
  }
});
