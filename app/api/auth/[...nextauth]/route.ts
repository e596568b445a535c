import NextAuth from 'next-auth';
import { getAuthOptions } from '@/server/auth/auth-options';
import { DomainError } from '@/server/errors';
import { errorResponse } from '@/server/http/endpoint';

type Handler = (req: Request, ctx: unknown) => Promise<Response>;

const handler: Handler = async (req, ctx) => {
  try {
    return await (NextAuth(getAuthOptions()) as Handler)(req, ctx);
  } catch (error) {
    // next-auth parses a JSON body without catching: a malformed one was a 500.
    if (error instanceof SyntaxError) return errorResponse(new DomainError('INVALID_JSON', 'the request body is not JSON'));
    throw error;
  }
};

export { handler as GET, handler as POST };
