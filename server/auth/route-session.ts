import type { Role } from '@/db/schema';
import { DomainError } from '../errors';
import { hasRole } from './session';
import type { SessionUser } from './users';

/** Where a route handler gets its signed-in user: getSessionUser in the app, a fixed user in tests. */
export type SessionSource = () => Promise<SessionUser | null>;

/**
 * The signed-in user of a dashboard route handler, with at least `role`: UNAUTHORIZED without a
 * session, FORBIDDEN below the role (the same answers as the tRPC tiers).
 */
export async function requireSessionRole(getUser: SessionSource, role: Role): Promise<SessionUser> {
  const user = await getUser();
  if (!user) throw new DomainError('UNAUTHORIZED', 'Sign in to continue.');
  if (!hasRole(user.role, role)) throw new DomainError('FORBIDDEN', `This needs the ${role} role; you are signed in as ${user.role}.`);
  return user;
}
