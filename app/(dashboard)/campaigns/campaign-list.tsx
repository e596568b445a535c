'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { CampaignStatus } from '@/db/schema/campaigns';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';
import { ButtonLink, CampaignStatusBadge, Card, DataTable, PageHeader, ProgressBar, QueryState, Time, type Columns } from '@/app/_components/ui';
import { statusOrder } from './_lib/statuses';
import { useCanOperate } from '@/app/_components/use-can-operate';

const PAGE_SIZE = 25;

export function CampaignList() {
  const trpc = useTRPC();
  const { canOperate } = useCanOperate();
  const [status, setStatus] = useState<CampaignStatus | undefined>(undefined);
  const [page, setPage] = useState(0);
  const list = useQuery({ ...trpc.campaigns.list.queryOptions({ status, page, pageSize: PAGE_SIZE }), placeholderData: keepPreviousData, refetchInterval: 15_000 });
  const counts = useQuery(trpc.campaigns.statusCounts.queryOptions());
  const all = counts.data ? Object.values(counts.data).reduce((a, b) => a + b, 0) : undefined;

  const filters: { label: string; value: CampaignStatus | undefined; n?: number }[] = [
    { label: 'All', value: undefined, n: all },
    ...statusOrder.map((s) => ({ label: s, value: s, n: counts.data?.[s] })),
  ];

  return (
    <>
      <PageHeader
        title="Campaigns"
        subtitle="Each campaign delivers one vehicle package to its target vehicles."
        actions={canOperate ? <ButtonLink href="/campaigns/new" variant="primary">New campaign</ButtonLink> : null}
      />
      <div className="mb-4 flex flex-wrap gap-1" role="tablist" aria-label="Filter by status">
        {filters.map((f) => {
          const active = f.value === status;
          return (
            <button
              key={f.label}
              type="button"
              role="tab"
              aria-selected={active}
              onClick={() => {
                setStatus(f.value);
                setPage(0);
              }}
              className={`rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset ${active ? 'bg-slate-900 text-white ring-slate-900' : 'bg-white text-slate-600 ring-slate-200 hover:bg-slate-50'}`}
            >
              {f.label}
              {f.n !== undefined ? <span className={`ml-1.5 tabular-nums ${active ? 'text-slate-300' : 'text-slate-400'}`}>{f.n}</span> : null}
            </button>
          );
        })}
      </div>
      <Card>
        <QueryState query={list} loading="Loading campaigns…">
          {(data) => (
            <DataTable
              columns={columns}
              rows={data.rows}
              rowKey={(c) => c.id}
              empty={{
                title: status ? `No ${status.toLowerCase()} campaigns` : 'No campaigns yet',
                body: status ? (
                  'Choose another status above.'
                ) : canOperate ? (
                  <Link className="font-medium text-blue-600 hover:underline" href="/campaigns/new">
                    Create the first campaign.
                  </Link>
                ) : (
                  'Operators create campaigns.'
                ),
              }}
              paging={{ page, pageSize: PAGE_SIZE, total: data.total, onPage: setPage }}
            />
          )}
        </QueryState>
      </Card>
    </>
  );
}

type CampaignRow = RouterOutputs['campaigns']['list']['rows'][number];

const columns: Columns<CampaignRow> = [
  {
    header: 'Campaign',
    cell: (c) => (
      <>
        <Link href={`/campaigns/${c.id}`} className="font-medium text-blue-700 hover:underline">
          {c.name}
        </Link>
        <div className="text-xs text-slate-500">
          #{c.id} · {c.vehiclePackage.name} {c.vehiclePackage.version}
        </div>
      </>
    ),
  },
  { header: 'Status', cell: (c) => <CampaignStatusBadge status={c.status} /> },
  { header: 'Priority', headerClassName: 'text-right', className: 'text-right tabular-nums', cell: (c) => c.priority },
  { header: 'Vehicles', headerClassName: 'text-right', className: 'text-right tabular-nums', cell: (c) => c.vehicleCount },
  {
    header: 'Progress',
    headerClassName: 'w-56',
    cell: (c) => (
      <>
        <ProgressBar value={c.completedPercent} tone="green" />
        <div className="mt-1 text-xs text-slate-500">
          {c.completed} of {c.vehicleCount} completed ({Math.round(c.completedPercent)}%)
          {c.failed ? <span className="text-red-600"> · {c.failed} failed</span> : null}
        </div>
      </>
    ),
  },
  { header: 'Window', className: 'text-xs', cell: (c) => <Window startsAt={c.startsAt} endsAt={c.endsAt} /> },
  { header: 'Created', className: 'text-xs', cell: (c) => <Time value={c.createdAt} /> },
];

/** A campaign's start and end, or "no limit". */
export function Window({ startsAt, endsAt }: { startsAt: Date | null; endsAt: Date | null }) {
  if (!startsAt && !endsAt) return <span className="text-slate-500">Open (no start or end)</span>;
  return (
    <div className="space-y-0.5">
      <div>
        <span className="text-slate-500">from </span>
        {startsAt ? <Time value={startsAt} /> : <span className="text-slate-500">now</span>}
      </div>
      <div>
        <span className="text-slate-500">until </span>
        {endsAt ? <Time value={endsAt} /> : <span className="text-slate-500">no end</span>}
      </div>
    </div>
  );
}
