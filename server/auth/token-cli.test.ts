import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
// Its own embedded database (one process may open one), or the tests' PostgreSQL.
const env = { ...process.env, DATA_DIR: process.env.DATABASE_URL ? process.env.DATA_DIR : mkdtempSync(path.join(tmpdir(), 'ota-token-cli-')) };

/** `npm run token -- …`, as a CI job runs it. */
const token = (...args: string[]) =>
  spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['--import', './server/runtime/server-side.mjs', 'server/auth/token-cli.ts', ...args], { cwd: root, env, encoding: 'utf8', timeout: 180_000 });

describe('npm run token', () => {
  it('creates a token in the configured database and prints it as the last line; list shows it without the secret', () => {
    const name = `ci ${randomUUID().slice(0, 8)}`;
    const created = token('create', '--name', name, '--role', 'operator', '--expires-in-days', '7');
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const printed = created.stdout.trim().split('\n').at(-1)!;
    expect(printed).toMatch(/^ota_[A-Za-z0-9_-]{43}$/);

    const listed = token('list');
    expect(listed.status).toBe(0);
    const line = listed.stdout.split('\n').find((l) => l.endsWith(`${name}\tlast used never`));
    expect(line).toContain(`${printed.slice(0, 12)}…\toperator\tactive`);
    expect(listed.stdout).not.toContain(printed);
  });

  it('refuses bad arguments with a message naming each, and exits non-zero', () => {
    const refused = token('create', '--name', '', '--role', 'boss');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('--name: Give the token a name');
    expect(refused.stderr).toContain('--role: Invalid option');
    expect(token('rotate').stderr).toContain('usage:');
  });
});
