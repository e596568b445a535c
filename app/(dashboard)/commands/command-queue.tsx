'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { Card, DataTable, ErrorState, PageHeader, QueryState, Time, type Columns } from '@/app/_components/ui';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';
import { cancelColumn, commandColumns } from '../vehicles/_components/command-columns';
import { vehicleHref } from '../vehicles/_components/format';
import { commandStatusText } from '../vehicles/_components/status-badges';
import { useCanOperate } from '@/app/_components/use-can-operate';

const PAGE_SIZE = 25;
const statuses = ['pending', 'delivered', 'acknowledged', 'cancelled', 'expired', 'failed'] as const;
type Status = (typeof statuses)[number];
type CommandRow = RouterOutputs['commands']['list']['rows'][number];

const emptyText: Record<Status | 'all', string> = {
  all: 'No command has been queued yet. Deploying a campaign queues StartCampaign for each of its vehicles.',
  pending: 'Nothing is waiting: every queued command has reached its vehicle or was withdrawn.',
  delivered: 'No command is out with a vehicle waiting for it to act.',
  acknowledged: 'No vehicle has acted on a command yet.',
  cancelled: 'No command was cancelled.',
  expired: 'No command expired.',
  failed: 'No command failed.',
};

/** /commands: the fleet's command queue by state, with counts; operators cancel open commands. */
export function CommandQueue() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const { canOperate } = useCanOperate();
  const raw = params.get('status');
  const status: Status | undefined = statuses.includes(raw as Status) ? (raw as Status) : undefined;
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);

  const list = useQuery({ ...trpc.commands.list.queryOptions({ status, page, pageSize: PAGE_SIZE }), placeholderData: keepPreviousData, refetchInterval: 10_000 });
  const cancel = useMutation(trpc.commands.cancel.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.commands.pathFilter()) }));

  const go = (next: { status?: Status; page?: number }) => {
    const q = new URLSearchParams();
    if (next.status) q.set('status', next.status);
    if (next.page) q.set('page', String(next.page));
    router.replace(q.size ? `${pathname}?${q}` : pathname, { scroll: false });
  };
  const columns: Columns<CommandRow> = [
    commandColumns.id,
    {
      header: 'VIN',
      cell: (c) => (
        <Link href={vehicleHref(c.vin)} className="font-mono text-blue-700 hover:underline">
          {c.vin}
        </Link>
      ),
    },
    { header: 'Command', className: 'font-medium', cell: (c) => c.command },
    commandColumns.campaign,
    commandColumns.status,
    commandColumns.created,
    {
      header: 'Deliveries',
      className: 'text-xs',
      cell: (c) =>
        c.deliveryCount === 0 ? (
          <span className="text-slate-400">none yet</span>
        ) : (
          <>
            {c.deliveryCount}× <span className="text-slate-500">· last</span> <Time value={c.lastDeliveredAt} relative />
          </>
        ),
    },
    commandColumns.acknowledged,
    cancelColumn({ canOperate, vinOf: (c) => c.vin, pendingId: cancel.isPending ? cancel.variables?.id : undefined, onCancel: (id) => cancel.mutate({ id }) }),
  ];
  const counts = list.data?.counts;
  const all = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : undefined;

  return (
    <>
      <PageHeader title="Commands" subtitle="What the fleet is told at its command poll (C_36): pending until a vehicle picks it up, delivered until it acts on it." />
      <div role="tablist" aria-label="Command state" className="mb-4 flex flex-wrap gap-1 border-b border-slate-200">
        <Tab active={!status} label="All" count={all} onClick={() => go({})} />
        {statuses.map((s) => (
          <Tab key={s} active={status === s} label={commandStatusText[s]!} count={counts?.[s]} onClick={() => go({ status: s })} />
        ))}
      </div>
      <ErrorState error={cancel.error} />
      {cancel.isSuccess ? (
        <p role="status" className="mb-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Command {cancel.data.id} cancelled: its vehicle will not be given it any more.
        </p>
      ) : null}
      <Card>
        <QueryState query={list} loading="Loading commands…">
          {(data) => (
            <DataTable
              bleed="-mx-4 -mt-4"
              columns={columns}
              rows={data.rows}
              rowKey={(c) => c.id}
              empty={{ title: status ? `No ${commandStatusText[status]!.toLowerCase()} commands` : 'No commands', body: emptyText[status ?? 'all'] }}
              paging={{ page, pageSize: PAGE_SIZE, total: data.total, onPage: (p) => go({ status, page: p }) }}
            />
          )}
        </QueryState>
      </Card>
    </>
  );
}

function Tab({ active, label, count, onClick }: { active: boolean; label: string; count: number | undefined; onClick: () => void }) {
  return (
    <button
      type="button"
      role="tab"
      aria-selected={active}
      onClick={onClick}
      className={`-mb-px flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium ${active ? 'border-blue-600 text-blue-700' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
    >
      {label}
      <span className={`rounded-full px-2 py-0.5 text-xs tabular-nums ${active ? 'bg-blue-50 text-blue-700' : 'bg-slate-100 text-slate-600'}`}>{count ?? '…'}</span>
    </button>
  );
}
