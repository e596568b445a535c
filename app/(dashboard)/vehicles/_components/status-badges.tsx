'use client';

import { Badge, type Tone } from '@/app/_components/ui';

const commandTone: Record<string, Tone> = {
  pending: 'amber',
  delivered: 'blue',
  acknowledged: 'green',
  cancelled: 'slate',
  expired: 'slate',
  failed: 'red',
};

export const commandStatusText: Record<string, string> = {
  pending: 'Pending',
  delivered: 'Delivered',
  acknowledged: 'Acknowledged',
  cancelled: 'Cancelled',
  expired: 'Expired',
  failed: 'Failed',
};

export function CommandStatusBadge({ status }: { status: string }) {
  return <Badge tone={commandTone[status] ?? 'slate'}>{commandStatusText[status] ?? status}</Badge>;
}

/** The vehicle's last reported rmVehState (IDLE, DOWNLOADING, ...). */
export function RmStateBadge({ state }: { state: string | null }) {
  if (!state) return <span className="text-slate-400" title="The vehicle has not reported its state yet">—</span>;
  const tone: Tone = state === 'IDLE' ? 'slate' : state === 'DOWNLOADING' ? 'blue' : state === 'INSTALLING' || state === 'ACTIVATING' ? 'violet' : 'amber';
  return <Badge tone={tone}>{state}</Badge>;
}
