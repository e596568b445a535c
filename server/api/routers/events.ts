import { createTRPCRouter } from '../trpc';

export const eventsRouter = createTRPCRouter({});
