import { createTRPCRouter } from '../trpc';

export const vehiclesRouter = createTRPCRouter({});
