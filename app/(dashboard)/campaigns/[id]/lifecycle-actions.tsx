'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CampaignStatus } from '@/db/schema/campaigns';
import { useTRPC } from '@/app/_trpc/client';
import { ConfirmButton, ErrorState } from '@/app/_components/ui';

type Action = 'deploy' | 'suspend' | 'resume' | 'cancel' | 'complete';
type Props = {
  campaignId: number;
  status: CampaignStatus;
  vehicleCount: number;
  completed: number;
  canOperate: boolean;
  /** What resuming does to the error threshold's count (operator-messages' resumeMessage). */
  resumeMessage?: string;
  /** Vehicles of the first wave (the ones deploying queues StartCampaign for). */
  firstWave?: number;
};

const available: Record<CampaignStatus, Action[]> = {
  Draft: ['deploy', 'cancel'],
  Deployed: ['suspend', 'complete', 'cancel'],
  Suspended: ['resume', 'complete', 'cancel'],
  Cancelled: [],
  Completed: [],
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function describe(action: Action, p: Props) {
  switch (action) {
    case 'deploy':
      return {
        label: 'Deploy',
        variant: 'primary' as const,
        title: 'Deploy this campaign?',
        message:
          p.vehicleCount === 0
            ? 'This campaign targets no vehicles, so no StartCampaign command would be queued.'
            : p.firstWave !== undefined && p.firstWave < p.vehicleCount
              ? `The first wave is released: a StartCampaign command is queued for each of its ${plural(p.firstWave, 'vehicle')} whose last known configuration meets the preconditions; each starts the update at its next poll (within the campaign window). The other ${plural(p.vehicleCount - p.firstWave, 'vehicle')} wait for their waves.`
              : `A StartCampaign command is queued for each of the ${plural(p.vehicleCount, 'targeted vehicle')} whose last known configuration meets the preconditions; each starts the update at its next poll (within the campaign window).`,
      };
    case 'suspend':
      return {
        label: 'Suspend',
        variant: 'secondary' as const,
        title: 'Suspend this campaign?',
        message: 'Vehicles are no longer offered the campaign; those in the middle of it are told it is suspended, and undelivered StartCampaign commands are held back. You can resume it later.',
      };
    case 'resume':
      return {
        label: 'Resume',
        variant: 'primary' as const,
        title: 'Resume this campaign?',
        message: p.resumeMessage ?? 'The campaign is offered to its vehicles again and held StartCampaign commands are delivered.',
      };
    case 'complete':
      return {
        label: 'Complete',
        variant: 'secondary' as const,
        title: 'Mark this campaign completed?',
        message: `${p.completed} of ${plural(p.vehicleCount, 'vehicle')} completed it. Completing is final: the campaign is no longer offered, and vehicles that have not finished are told it is over.`,
      };
    case 'cancel':
      return {
        label: 'Cancel campaign',
        variant: 'danger' as const,
        title: 'Cancel this campaign?',
        message: 'Cancelling is final: open StartCampaign commands are withdrawn and vehicles are told the campaign is cancelled. It cannot be deployed again.',
      };
  }
}

/** The lifecycle buttons a campaign's status allows, each asking first; hidden for support (the server refuses them anyway). */
export function LifecycleActions(props: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const transition = useMutation(
    trpc.campaigns.transition.mutationOptions({
      onSuccess: (r) => {
        const extra = r.queuedCommands ? ` · ${plural(r.queuedCommands, 'StartCampaign command')} queued` : r.withdrawnCommands ? ` · ${plural(r.withdrawnCommands, 'open command')} withdrawn` : '';
        setNotice(`Now ${r.status}${extra}.`);
        void queryClient.invalidateQueries(trpc.campaigns.pathFilter());
      },
    }),
  );
  const actions = available[props.status];
  if (!props.canOperate || !actions.length) return null;
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap justify-end gap-2">
        {actions.map((action) => {
          const d = describe(action, props);
          return (
            <ConfirmButton
              key={action}
              label={d.label}
              title={d.title}
              message={d.message}
              variant={d.variant}
              pending={transition.isPending && transition.variables?.action === action}
              disabled={transition.isPending}
              onConfirm={() => {
                setNotice(null);
                transition.mutate({ id: props.campaignId, action });
              }}
            />
          );
        })}
      </div>
      {transition.error ? <ErrorState error={transition.error} /> : null}
      {notice && !transition.error ? (
        <p role="status" className="text-sm text-emerald-700">
          {notice}
        </p>
      ) : null}
    </div>
  );
}
