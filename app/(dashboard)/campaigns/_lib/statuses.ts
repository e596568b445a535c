import type { CampaignStatus } from '@/db/schema/campaigns';

/** The campaign statuses in lifecycle order (the list's filter). */
export const statusOrder: CampaignStatus[] = ['Draft', 'Deployed', 'Suspended', 'Completed', 'Cancelled'];
