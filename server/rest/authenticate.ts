import type { Db } from '@/db/client';
import type { Role } from '@/db/schema';
import { authenticateApiToken } from '../auth/api-tokens';
import { tokenActor, userActor, type Actor } from '../auth/actor';
import type { SessionSource } from '../auth/route-session';
import { hasRole } from '../auth/session';
import { DomainError } from '../errors';

const unauthorized = (message: string) => new DomainError('UNAUTHORIZED', message);

/**
 * Who makes a REST request, with at least `role`: the API token of `Authorization: Bearer …`, or
 * without that header a signed-in dashboard session (the /api-docs page's reader, in a browser).
 * UNAUTHORIZED without either or for an unknown, revoked or expired token; FORBIDDEN below the
 * role, as the dashboard's tiers answer.
 */
export async function authenticateRest(db: Db, req: Request, role: Role, session: SessionSource): Promise<Actor> {
  const header = req.headers.get('authorization');
  let who: { actor: Actor; role: Role; name: string };
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthorized('Send the API token as "Authorization: Bearer <token>".');
    const token = await authenticateApiToken(db, match[1]!);
    if ('refused' in token) throw unauthorized(token.refused);
    who = { actor: tokenActor(token), role: token.role, name: `the token "${token.name}" has` };
  } else {
    const user = await session();
    if (!user) throw unauthorized('Send an API token as "Authorization: Bearer <token>" (an admin creates one on the Admin page or with npm run token).');
    who = { actor: userActor(user), role: user.role, name: `you are signed in as` };
  }
  if (!hasRole(who.role, role)) throw new DomainError('FORBIDDEN', `This needs the ${role} role; ${who.name} ${who.role}.`);
  return who.actor;
}
