'use client';

import Link from 'next/link';
import { ConfirmButton, Time, type Column } from '@/app/_components/ui';
import { CommandStatusBadge } from './status-badges';

/** What the fleet queue (/commands) and a vehicle's command card both show of a command. */
type CommandRow = {
  id: number;
  command: string;
  campaignId: number | null;
  campaignName: string | null;
  status: string;
  createdAt: Date;
  createdBy: string | null;
  acknowledgedAt: Date | null;
};

/** The columns the two command tables share, in the order both show them. */
export const commandColumns = {
  id: { header: '#', className: 'tabular-nums text-slate-500', cell: (c) => c.id },
  campaign: { header: 'Campaign', cell: (c) => <CommandCampaign campaignId={c.campaignId} campaignName={c.campaignName} /> },
  status: { header: 'Status', cell: (c) => <CommandStatusBadge status={c.status} /> },
  created: { header: 'Created', className: 'text-xs', cell: (c) => <CommandCreated createdAt={c.createdAt} createdBy={c.createdBy} /> },
  acknowledged: { header: 'Acknowledged', className: 'text-xs', cell: (c) => <Time value={c.acknowledgedAt} /> },
} satisfies Record<string, Column<CommandRow>>;

/** The last column: operators cancel a command that is still open (pending or delivered). */
export function cancelColumn<Row extends CommandRow>({
  canOperate,
  vinOf,
  pendingId,
  onCancel,
}: {
  canOperate: boolean;
  vinOf: (row: Row) => string;
  pendingId: number | undefined;
  onCancel: (id: number) => void;
}): Column<Row> {
  return {
    header: '',
    className: 'text-right',
    cell: (c) =>
      canOperate && (c.status === 'pending' || c.status === 'delivered') ? (
        <ConfirmButton
          label="Cancel"
          variant="danger"
          title={`Cancel command ${c.id}?`}
          message={
            <>
              <p>
                {c.command}
                {c.campaignName ? ` of “${c.campaignName}”` : ''} will not be handed to {vinOf(c)} any more.
              </p>
              {c.status === 'delivered' ? <p className="mt-2">It was delivered already: if the vehicle acted on it, cancelling does not stop that update.</p> : null}
            </>
          }
          confirmLabel="Yes, cancel it"
          pending={pendingId === c.id}
          onConfirm={() => onCancel(c.id)}
        />
      ) : null,
  };
}

/** The campaign a command belongs to, as a link (or a dash for commands of no campaign). */
function CommandCampaign({ campaignId, campaignName }: { campaignId: number | null; campaignName: string | null }) {
  if (!campaignId) return <span className="text-slate-400">—</span>;
  return (
    <Link href={`/campaigns/${campaignId}`} className="text-blue-700 hover:underline">
      {campaignName ?? `Campaign ${campaignId}`}
    </Link>
  );
}

/** When a command was queued, and by whom. */
function CommandCreated({ createdAt, createdBy }: { createdAt: Date; createdBy: string | null }) {
  return (
    <>
      <Time value={createdAt} />
      {createdBy ? <div className="text-slate-500">by {createdBy}</div> : null}
    </>
  );
}
