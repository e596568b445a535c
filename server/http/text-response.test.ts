import { describe, expect, it } from 'vitest';
import { bodyTextOf, json } from './endpoint';

describe('json() answers read as any Web Response', () => {
  it('has its headers, and its body for text(), json(), a stream or a clone', async () => {
    const response = json({ a: 'é', n: [1, 2] }, { status: 201, headers: { 'x-extra': '1' } });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength('{"a":"é","n":[1,2]}')));
    expect(response.headers.get('x-extra')).toBe('1');
    expect(bodyTextOf(response)).toBe('{"a":"é","n":[1,2]}');
    const copy = response.clone();
    expect(await response.json()).toEqual({ a: 'é', n: [1, 2] });
    expect(response.bodyUsed).toBe(true);
    expect(bodyTextOf(response)).toBeUndefined();
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(await new Response(copy.body).text()).toBe('{"a":"é","n":[1,2]}');
    expect(copy.bodyUsed).toBe(true);
  });

  it('can be wrapped in a new Response, as frameworks do', async () => {
    const wrapped = new Response(json({ ok: true }).body, { status: 200 });
    expect(await wrapped.json()).toEqual({ ok: true });
  });
});
