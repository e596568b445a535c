import { createTRPCRouter } from '../trpc';

export const overviewRouter = createTRPCRouter({});
