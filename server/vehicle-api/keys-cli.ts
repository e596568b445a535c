// npm run keys -- list
// npm run keys -- rotate [--at 2027-01-01T00:00:00Z | --overlap-hours 24]
// The server signing keys of the configured database (DATABASE_URL, else the embedded one in DATA_DIR).
import { parseArgs } from 'node:util';
import { closeDb, getDb } from '../db';
import { wireProcess } from '../startup';
import { currentServerKey, nextServerKeys, readServerKeys, rotateServerKey } from './server-key-store';
import { serverKeySecret, SERVER_KEY_REFRESH_MS } from './server-key';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { at: { type: 'string' }, 'overlap-hours': { type: 'string', default: '24' } },
});
const command = positionals[0];

async function list(): Promise<void> {
  const keys = await readServerKeys(await getDb(), serverKeySecret());
  const current = currentServerKey(keys);
  const next = new Set(nextServerKeys(keys).map((k) => k.keyid));
  for (const k of keys) {
    const role = k.keyid === current?.keyid ? 'current' : next.has(k.keyid) ? 'next' : k.status === 'active' ? 'previous' : k.status;
    console.log(`${k.keyid}  ${role.padEnd(8)}  from ${k.notBefore.toISOString()}${k.notAfter ? ` until ${k.notAfter.toISOString()}` : ''}  (${k.origin}${k.privateKey ? '' : ', cannot be decrypted'})`);
  }
}

async function rotate(): Promise<void> {
  const hours = Number(values['overlap-hours']);
  const at = values.at ? new Date(values.at) : new Date(Date.now() + hours * 3_600_000);
  if (Number.isNaN(at.getTime())) throw new Error(`--at ${values.at} is not a date; give an ISO time such as 2027-01-01T00:00:00Z`);
  if (!values.at && !(hours >= 0)) throw new Error('--overlap-hours must be a number of hours (0 or more)');
  const { keyid, notBefore } = await rotateServerKey(await getDb(), serverKeySecret(), at);
  console.log(`new server signing key ${keyid}: published now as "next" by GET /api/ota/v1/server-key, signs answers from ${notBefore.toISOString()}`);
  if (notBefore.getTime() - Date.now() < SERVER_KEY_REFRESH_MS) {
    console.log(`(it becomes current within ${SERVER_KEY_REFRESH_MS / 1000} s on each running instance; vehicles should know it before)`);
  }
}

try {
  wireProcess();
  if (command === 'list') await list();
  else if (command === 'rotate') {
    await rotate();
    await list();
  } else {
    console.error('usage: npm run keys -- list | rotate [--at <ISO time>] [--overlap-hours <hours, default 24>]');
    process.exitCode = 2;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDb();
}
