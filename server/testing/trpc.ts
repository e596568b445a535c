import { randomUUID } from 'node:crypto';
import type { Role } from '@/db/schema';
import { createCaller } from '../api/root';
import { insertUser } from '../auth/users';
import { getDb } from '../db';

/** A tRPC caller signed in as a fresh user of `role`, or with no session (null). */
export async function callerAs(role: Role | null) {
  const db = await getDb();
  if (!role) return createCaller({ db, user: null });
  const user = await insertUser(db, { email: `${role}-${randomUUID().slice(0, 8)}@test.example`, password: 'test-password', role, name: `Test ${role}` });
  return createCaller({ db, user: { id: user.id, email: user.email, name: user.name, role } });
}
