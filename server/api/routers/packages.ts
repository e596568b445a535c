import { createTRPCRouter } from '../trpc';

export const packagesRouter = createTRPCRouter({});
