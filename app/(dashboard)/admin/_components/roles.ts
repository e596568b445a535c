import type { Role } from '@/db/schema/users';

/** Least to most; the same three roles as the users table. */
export const roleOptions = ['support', 'operator', 'admin'] as const satisfies readonly Role[];

/** What each role may do, as the procedure tiers grant it. */
export const roleHelp: Record<Role, string> = {
  support: 'Support: looks up vehicles and their update history, campaigns and packages; changes nothing.',
  operator: 'Operator: also uploads packages, builds and deploys campaigns, and queues commands.',
  admin: 'Admin: also manages users, API tokens, webhooks and the fleet action defaults, and reads the audit log.',
};
