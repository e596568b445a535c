import { createTRPCRouter } from '../trpc';

export const campaignsRouter = createTRPCRouter({});
