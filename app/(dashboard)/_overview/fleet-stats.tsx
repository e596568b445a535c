'use client';

import type { RouterOutputs } from '../../_trpc/client';
import { Stat } from '@/app/_components/ui';

type Fleet = RouterOutputs['overview']['fleet'];

const share = (part: number, whole: number) => (whole ? `${Math.round((100 * part) / whole)}% of the fleet` : undefined);

export function FleetStats({ fleet }: { fleet: Fleet }) {
  return (
    <div className="grid grid-cols-2 gap-4 md:grid-cols-3 lg:grid-cols-5">
      <Stat label="Vehicles registered" value={fleet.registered.toLocaleString()} hint="Known to the server" />
      <Stat label="Seen in the last 24 h" value={fleet.seenLast24h.toLocaleString()} hint={share(fleet.seenLast24h, fleet.registered) ?? 'Vehicles that polled or reported'} tone="blue" />
      <Stat label="In a deployed campaign" value={fleet.inDeployedCampaign.toLocaleString()} hint={share(fleet.inDeployedCampaign, fleet.registered) ?? 'Targeted by a running campaign'} />
      <Stat label="Updates completed, 24 h" value={fleet.completedLast24h.toLocaleString()} hint="Vehicles that reported update complete" tone="green" />
      <Stat
        label="Failed, deployed campaigns"
        value={fleet.failedInDeployedCampaigns.toLocaleString()}
        hint={fleet.declinedInDeployedCampaigns ? `and ${fleet.declinedInDeployedCampaigns.toLocaleString()} declined` : 'None declined'}
        tone={fleet.failedInDeployedCampaigns ? 'red' : 'slate'}
      />
    </div>
  );
}
