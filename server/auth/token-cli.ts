// `npm run token -- create --name NAME --role ROLE [--expires-in-days N]`: makes a REST API token
// in the configured database (DATABASE_URL, or the embedded one under DATA_DIR, which only one
// process may open: run it while the server is stopped) and prints the token as the last line.
// `npm run token -- list` and `npm run token -- revoke --id N` do the rest of the Admin page's work.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { closeDb, getDb } from '../db';
import { DomainError } from '../errors';
import { wireProcess } from '../startup';
import type { Actor } from './actor';
import { createApiToken, listApiTokens, newApiTokenSchema, revokeApiToken } from './api-tokens';

const usage = `usage:
  npm run token -- create --name NAME --role admin|operator|support [--expires-in-days N]
  npm run token -- list
  npm run token -- revoke --id N`;

/** The audit log names the command line and the account that ran it. */
const actor: Actor = { kind: 'system', name: `cli:${userInfo().username}` };

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, role: { type: 'string' }, 'expires-in-days': { type: 'string' }, id: { type: 'string' } },
  });
  const [command] = positionals;
  if (command === 'create') {
    const days = values['expires-in-days'];
    const input = newApiTokenSchema.safeParse({ name: values.name ?? '', role: values.role, expiresInDays: days === undefined ? undefined : Number(days) });
    if (!input.success) throw new Error(input.error.issues.map((i) => `--${String(i.path[0] ?? '').replace('expiresInDays', 'expires-in-days')}: ${i.message}`).join('\n'));
    wireProcess();
    const { token, apiToken } = await createApiToken(await getDb(), actor, input.data);
    console.log(`created API token "${apiToken.name}" (id ${apiToken.id}, role ${apiToken.role}, ${apiToken.expiresAt ? `expires ${apiToken.expiresAt.toISOString()}` : 'no expiry'}); it is shown only now:`);
    console.log(token);
  } else if (command === 'list') {
    wireProcess();
    for (const t of await listApiTokens(await getDb())) {
      const state = t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt <= new Date() ? 'expired' : 'active';
      console.log(`${t.id}\t${t.prefix}…\t${t.role}\t${state}\t${t.name}\tlast used ${t.lastUsedAt?.toISOString() ?? 'never'}`);
    }
  } else if (command === 'revoke') {
    const id = z.coerce.number().int().positive().safeParse(values.id);
    if (!id.success) throw new Error('--id: the id of the token (npm run token -- list shows it)');
    wireProcess();
    const t = await revokeApiToken(await getDb(), actor, { id: id.data });
    console.log(`revoked API token "${t.name}" (id ${t.id})`);
  } else {
    throw new Error(usage);
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof DomainError || error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDb();
}
