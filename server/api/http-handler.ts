import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { getSessionUser } from '../auth/session';
import { appRouter } from './root';
import { createContext } from './trpc';

/** /api/trpc/*: the dashboard's API over fetch, with the next-auth session as context. */
export const handleTrpcRequest = (req: Request) =>
  fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: async () => createContext(await getSessionUser()),
  });
