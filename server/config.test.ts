import { afterEach, describe, expect, it } from 'vitest';
import { getConfig, resetConfig } from './config';

const names = ['PORT', 'HOST', 'DATABASE_POOL_SIZE', 'NEXTAUTH_URL'] as const;
const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));

describe('the one validated configuration', () => {
  afterEach(() => {
    for (const n of names) {
      if (saved[n] === undefined) delete process.env[n];
      else process.env[n] = saved[n];
    }
    resetConfig();
  });

  it('reads the port, interface, pool size and dashboard URL, with their defaults', () => {
    for (const n of names) delete process.env[n];
    resetConfig();
    expect(getConfig()).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', DATABASE_POOL_SIZE: 10 });
    expect(getConfig().NEXTAUTH_URL).toBeUndefined();
    Object.assign(process.env, { PORT: '3302', HOST: '127.0.0.1', DATABASE_POOL_SIZE: '25', NEXTAUTH_URL: 'https://ota.example.com' });
    resetConfig();
    expect(getConfig()).toMatchObject({ PORT: 3302, HOST: '127.0.0.1', DATABASE_POOL_SIZE: 25, NEXTAUTH_URL: 'https://ota.example.com' });
  });

  it('stops at a bad value and names the variable', () => {
    for (const [name, value] of [['DATABASE_POOL_SIZE', '0'], ['DATABASE_POOL_SIZE', 'ten'], ['PORT', '70000'], ['NEXTAUTH_URL', 'ota.example.com']] as const) {
      process.env[name] = value;
      resetConfig();
      expect(() => getConfig(), `${name}=${value}`).toThrow(new RegExp(`Invalid environment: ${name}: `));
      delete process.env[name];
    }
  });
});
