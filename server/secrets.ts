import 'server-only';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getConfig } from './config';

const CACHE = Symbol.for('ota.secrets');
type SecretsGlobal = typeof globalThis & { [CACHE]?: Map<string, string> };

/**
 * A secret from the environment variable `envName`; with the embedded database one is
 * generated once and kept in DATA_DIR/`fileName`. With DATABASE_URL it must come from the
 * environment, so that every instance on the database shares it.
 */
export function persistentSecret(envName: string, fileName: string): string {
  const g = globalThis as SecretsGlobal;
  const cache = (g[CACHE] ??= new Map());
  const cached = cache.get(envName);
  if (cached) return cached;
  const config = getConfig();
  const fromEnv = process.env[envName];
  let secret: string;
  if (fromEnv) secret = fromEnv;
  else if (config.embedded) {
    const file = path.resolve(config.DATA_DIR, fileName);
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    }
    secret = readFileSync(file, 'utf8').trim();
  } else {
    throw new Error(`${envName} is required when DATABASE_URL is set (every instance must share it)`);
  }
  cache.set(envName, secret);
  return secret;
}
