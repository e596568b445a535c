import { apiTokensRouter } from './routers/api-tokens';
import { auditRouter } from './routers/audit';
import { campaignsRouter } from './routers/campaigns';
import { commandsRouter } from './routers/commands';
import { eventsRouter } from './routers/events';
import { overviewRouter } from './routers/overview';
import { packagesRouter } from './routers/packages';
import { registerRouter } from './routers/register';
import { settingsRouter } from './routers/settings';
import { usersRouter } from './routers/users';
import { vehiclesRouter } from './routers/vehicles';
import { webhooksRouter } from './routers/webhooks';
import { createCallerFactory, createTRPCRouter } from './trpc';

/** The dashboard's API: one router per domain. */
export const appRouter = createTRPCRouter({
  overview: overviewRouter,
  packages: packagesRouter,
  campaigns: campaignsRouter,
  vehicles: vehiclesRouter,
  commands: commandsRouter,
  events: eventsRouter,
  settings: settingsRouter,
  users: usersRouter,
  audit: auditRouter,
  register: registerRouter,
  apiTokens: apiTokensRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
