import 'server-only';
import { getServerSession } from 'next-auth';
import { getAuthOptions } from './auth-options';
import { getDb } from '../db';
import { currentSessionUser, type SessionUser } from './users';

/**
 * The signed-in user of the current request (pages, route handlers, tRPC), or null. The
 * account is read again from the database, so a disabled user loses access and a changed
 * role applies at once, not at the next sign-in.
 */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(getAuthOptions());
  const user = session?.user as Partial<SessionUser> | undefined;
  if (!user?.id || !user.role) return null;
  return currentSessionUser(await getDb(), { id: user.id, email: user.email ?? '', name: user.name ?? '', role: user.role });
}

const rank = { support: 0, operator: 1, admin: 2 } as const;

/** True when `role` may do what `needed` may (admin ⊃ operator ⊃ support). */
export const hasRole = (role: SessionUser['role'], needed: SessionUser['role']) => rank[role] >= rank[needed];
