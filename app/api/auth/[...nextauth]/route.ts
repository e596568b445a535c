import NextAuth from 'next-auth';
import { getAuthOptions } from '@/server/auth/auth-options';

type Handler = (req: Request, ctx: unknown) => Promise<Response>;

const handler: Handler = (req, ctx) => (NextAuth(getAuthOptions()) as Handler)(req, ctx);

export { handler as GET, handler as POST };
