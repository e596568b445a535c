import { createTRPCRouter } from '../trpc';

export const commandsRouter = createTRPCRouter({});
