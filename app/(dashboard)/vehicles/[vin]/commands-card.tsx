'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Card, ConfirmButton, DataTable, ErrorState, QueryState, Select, Time, type Columns } from '@/app/_components/ui';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';
import { cancelColumn, commandColumns } from '../_components/command-columns';
import { isFinalPhase, type Phase } from '@/server/campaigns/vehicle-phase';

type Campaigns = RouterOutputs['events']['history']['campaigns'];
type VehicleCommand = RouterOutputs['commands']['forVehicle'][number];

/** The vehicle's commands with every delivery; operators queue StartCampaign or cancel an open command. */
export function CommandsCard({ vin, campaigns, canOperate }: { vin: string; campaigns: Campaigns | undefined; canOperate: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery({ ...trpc.commands.forVehicle.queryOptions({ vin }), refetchInterval: 5000 });
  const refresh = () => Promise.all([queryClient.invalidateQueries(trpc.commands.pathFilter()), queryClient.invalidateQueries(trpc.events.pathFilter())]);
  const cancel = useMutation(trpc.commands.cancel.mutationOptions({ onSuccess: refresh }));
  const queue = useMutation(trpc.commands.queueStartCampaign.mutationOptions({ onSuccess: refresh }));

  const columns: Columns<VehicleCommand> = [
    commandColumns.id,
    {
      header: 'Command',
      cell: (c) => (
        <>
          <span className="font-medium">{c.command}</span> <span className="text-xs text-slate-500">(commandId {c.commandId})</span>
        </>
      ),
    },
    commandColumns.campaign,
    commandColumns.status,
    commandColumns.created,
    { header: 'Deliveries', className: 'text-xs', cell: (c) => <Deliveries command={c} /> },
    commandColumns.acknowledged,
    cancelColumn({ canOperate, vinOf: () => vin, pendingId: cancel.isPending ? cancel.variables?.id : undefined, onCancel: (id) => cancel.mutate({ id }) }),
  ];

  return (
    <Card title="Command queue" actions={<span className="text-xs text-slate-500">What C_36 hands this vehicle, oldest open command first</span>}>
      {canOperate ? (
        <QueueStartCampaign key={queue.data?.id ?? 'new'} campaigns={campaigns} pending={queue.isPending} onQueue={(campaignId) => queue.mutate({ vin, campaignId })} />
      ) : (
        <p className="mb-3 text-xs text-slate-500">Operators can queue StartCampaign for this vehicle and cancel its open commands.</p>
      )}
      <ErrorState error={queue.error ?? cancel.error} />
      {queue.isSuccess ? (
        <p role="status" className="mb-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          StartCampaign queued (command {queue.data.id}).{' '}
          {queue.data.campaignStatus !== 'Deployed' ? `The campaign is ${queue.data.campaignStatus}: the vehicle gets it once the campaign is deployed.` : 'The vehicle gets it at its next poll.'}
        </p>
      ) : null}
      <QueryState query={list} loading="Loading commands…">
        {(commands) => (
          <DataTable
            bleed="-mx-4 -mb-4"
            hover={false}
            columns={columns}
            rows={commands}
            rowKey={(c) => c.id}
            empty={{ title: 'No command was ever queued for this vehicle', body: 'Commands appear here when a campaign is deployed to it or an operator queues one.' }}
          />
        )}
      </QueryState>
    </Card>
  );
}

/** How often the command was handed out; every delivery on a click. */
function Deliveries({ command: c }: { command: VehicleCommand }) {
  if (c.deliveries.length === 0) return <span className="text-slate-400">not delivered yet</span>;
  return (
    <details>
      <summary className="cursor-pointer">
        {c.deliveryCount}× · last <Time value={c.lastDeliveredAt} />
      </summary>
      <ol className="mt-1 list-decimal space-y-0.5 pl-5 text-slate-600">
        {c.deliveries.map((d, i) => (
          <li key={i}>
            <Time value={d} />
          </li>
        ))}
      </ol>
    </details>
  );
}

function QueueStartCampaign({ campaigns, pending, onQueue }: { campaigns: Campaigns | undefined; pending: boolean; onQueue: (campaignId: number) => void }) {
  const members = (campaigns ?? []).filter((c) => c.membership);
  const [picked, setPicked] = useState<string>('');
  const chosen = members.find((c) => String(c.campaignId) === picked);
  const blocked = (c: Campaigns[number]) =>
    c.status === 'Cancelled' || c.status === 'Completed' ? `campaign ${c.status.toLowerCase()}` : isFinalPhase(c.membership!.phase as Phase) ? `vehicle ${c.membership!.phase}` : null;
  if (!members.length) return <p className="mb-3 text-sm text-slate-500">The vehicle is in no campaign, so there is no StartCampaign to queue.</p>;
  return (
    <div className="mb-4 flex flex-wrap items-end gap-2">
      <label className="block text-sm">
        <span className="mb-1 block font-medium text-slate-700">Queue StartCampaign for</span>
        <Select value={picked} onChange={(e) => setPicked(e.target.value)} className="w-80">
          <option value="">Choose a campaign of this vehicle…</option>
          {members.map((c) => (
            <option key={c.campaignId} value={c.campaignId} disabled={!!blocked(c)}>
              {c.name} (#{c.campaignId}){blocked(c) ? ` — ${blocked(c)}` : ''}
            </option>
          ))}
        </Select>
      </label>
      <ConfirmButton
        label="Queue StartCampaign"
        variant="primary"
        disabled={!chosen}
        pending={pending}
        title="Queue StartCampaign?"
        message={
          chosen ? (
            <p>
              The vehicle will be told to start “{chosen.name}” (campaign {chosen.campaignId}) at its next command poll (C_36).
              {chosen.status !== 'Deployed' ? ` The campaign is ${chosen.status}, so the command waits until it is deployed.` : ''}
            </p>
          ) : null
        }
        confirmLabel="Queue it"
        onConfirm={() => chosen && onQueue(chosen.campaignId)}
      />
    </div>
  );
}
