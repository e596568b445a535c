import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { Role } from '@/db/schema';
import { getConfig } from '../config';
import { getDb } from '../db';
import { persistentSecret } from '../secrets';
import { authenticate, type SessionUser } from './users';

/** next-auth: e-mail and password, JWT sessions carrying the user's id and role. */
export function getAuthOptions(): NextAuthOptions {
  // Without NEXTAUTH_URL (which next-auth reads itself), next-auth would send redirects to
  // localhost:3000 whatever the port: take the origin from the request instead (its Host, or
  // X-Forwarded-Host behind a proxy).
  if (!getConfig().NEXTAUTH_URL) process.env.AUTH_TRUST_HOST ??= 'true';
  return {
    secret: persistentSecret('NEXTAUTH_SECRET', 'auth-secret'),
    session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
    pages: { signIn: '/signin' },
    providers: [
      CredentialsProvider({
        name: 'E-mail and password',
        credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials) {
          if (!credentials?.email || !credentials.password) return null;
          const user = await authenticate(await getDb(), credentials.email, credentials.password);
          return user ? { id: String(user.id), email: user.email, name: user.name, role: user.role } : null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = Number(user.id);
          token.role = (user as unknown as { role: Role }).role;
        }
        return token;
      },
      session({ session, token }) {
        const user: SessionUser = { id: token.uid as number, email: token.email ?? '', name: token.name ?? '', role: token.role as Role };
        return { ...session, user };
      },
    },
  };
}
