import { phaseLabels, type Phase } from '@/server/campaigns/vehicle-phase';
import { Badge, type Tone } from './badge';

const phaseTone: Record<Phase, Tone> = {
  queued: 'slate',
  command_delivered: 'slate',
  config_uploaded: 'blue',
  consented: 'blue',
  downloading: 'blue',
  downloaded: 'blue',
  installing: 'violet',
  activating: 'violet',
  completed: 'green',
  failed: 'red',
  declined: 'amber',
  cancelled: 'slate',
};

/** A vehicle's phase in a campaign, worded as in the funnel and the phase filter. */
export function PhaseBadge({ phase }: { phase: string }) {
  return <Badge tone={phaseTone[phase as Phase] ?? 'slate'}>{phaseLabels[phase as Phase] ?? phase}</Badge>;
}

const statusTone: Record<string, Tone> = { Draft: 'slate', Deployed: 'blue', Suspended: 'amber', Cancelled: 'slate', Completed: 'green' };

export function CampaignStatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTone[status] ?? 'slate'}>{status}</Badge>;
}
