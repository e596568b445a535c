import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { Role } from '@/db/schema';
import { getConfig } from '../config';
import { getDb } from '../db';
import { persistentSecret } from '../secrets';
import { DomainError, isDatabaseUnavailable } from '../errors';
import { CLIENT_IP_HEADER } from '../http/client-ip';
import { logger } from '../logging/logger';
import { signInWithPassword, type SessionUser } from './users';

/** The sentence the sign-in page shows for a sign-in that failed other than by a wrong password. */
function signInFailureMessage(error: unknown): string {
  if (error instanceof DomainError && error.code === 'RATE_LIMITED') return error.message;
  if (isDatabaseUnavailable(error)) return 'Sign-in is unavailable: the database cannot be reached. Try again in a moment.';
  logger.error({ err: error }, 'sign-in failed');
  return 'Sign-in failed because of a server error. Try again in a moment.';
}

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
        async authorize(credentials, req) {
          if (!credentials?.email || !credentials.password) return null;
          const clientIp = (req.headers as Record<string, string | undefined> | undefined)?.[CLIENT_IP_HEADER] ?? null;
          try {
            const user = await signInWithPassword(await getDb(), { email: credentials.email, password: credentials.password, clientIp });
            return user ? { id: String(user.id), email: user.email, name: user.name, role: user.role } : null;
          } catch (error) {
            // next-auth hands a thrown error's message to the sign-in page (signIn()'s `error`).
            throw new Error(signInFailureMessage(error));
          }
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
