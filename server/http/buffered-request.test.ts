import { describe, expect, it } from 'vitest';
import { BufferedRequest } from './buffered-request';

const raw = ['Content-Type', 'application/json', 'X-Request-Id', 'abc', 'Accept', 'a', 'accept', 'b'];
const body = Buffer.from('{"signed":{"vin":"V1"}}');
const make = () => new BufferedRequest('POST', 'http://localhost:3000/api/ota/v1/command?x=1', raw, body);

describe('BufferedRequest reads as a Web Request built from the same bytes would', () => {
  it('has the same url, method, headers and body', async () => {
    const real = new Request('http://localhost:3000/api/ota/v1/command?x=1', { method: 'POST', headers: [['Content-Type', 'application/json'], ['X-Request-Id', 'abc'], ['Accept', 'a'], ['accept', 'b']], body });
    const light = make();
    expect(light.url).toBe(real.url);
    expect(light.method).toBe(real.method);
    expect([...light.headers]).toEqual([...real.headers]);
    expect(light.headers.get('accept')).toBe('a, b');
    expect(await light.json()).toEqual(await real.json());
  });

  it('is read once, like any body; a clone taken before reads again', async () => {
    const request = make();
    const copy = request.clone();
    expect(request.bodyUsed).toBe(false);
    expect(await request.text()).toBe('{"signed":{"vin":"V1"}}');
    expect(request.bodyUsed).toBe(true);
    await expect(request.text()).rejects.toThrow(TypeError);
    expect(() => request.clone()).toThrow(TypeError);
    expect(new Uint8Array(await copy.arrayBuffer())).toEqual(new Uint8Array(body));
  });

  it('streams its body to a reader, and is then used', async () => {
    const request = make();
    const text = await new Response(request.body).text();
    expect(text).toBe('{"signed":{"vin":"V1"}}');
    expect(request.bodyUsed).toBe(true);
    expect(request.signal.aborted).toBe(false);
  });
});
