'use client';

import Link from 'next/link';
import type { RouterOutputs } from '@/app/_trpc/client';
import { ButtonLink, CampaignStatusBadge, DataTable, ProgressBar, type Columns } from '@/app/_components/ui';

type Data = RouterOutputs['overview']['activeCampaigns'];
type Row = Data['campaigns'][number];

const n = (value: number, tone?: string) => <span className={value ? tone : 'text-slate-400'}>{value.toLocaleString()}</span>;
const count = 'text-right tabular-nums';

const columns: Columns<Row> = [
  {
    header: 'Campaign',
    cell: (c) => (
      <>
        <Link href={`/campaigns/${c.id}`} className="font-medium text-blue-700 hover:underline">
          {c.name}
        </Link>
        <span className="ml-1.5 text-xs text-slate-400">#{c.id}</span>
      </>
    ),
  },
  { header: 'Status', cell: (c) => <CampaignStatusBadge status={c.status} /> },
  { header: 'Vehicles', headerClassName: 'text-right', className: count, cell: (c) => c.vehicles.toLocaleString() },
  { header: 'Completed', headerClassName: 'text-right', className: count, cell: (c) => n(c.completed, 'text-emerald-700') },
  {
    header: 'Failed',
    headerClassName: 'text-right',
    className: count,
    cell: (c) => (
      <>
        {n(c.failed, 'font-medium text-red-600')}
        {c.declined ? <div className="text-xs text-amber-700">{c.declined.toLocaleString()} declined</div> : null}
      </>
    ),
  },
  { header: 'In progress', headerClassName: 'text-right', className: count, cell: (c) => n(c.inProgress, 'text-blue-700') },
  { header: 'Waiting', headerClassName: 'text-right', className: count, cell: (c) => n(c.queued) },
  {
    header: 'Progress',
    headerClassName: 'w-56',
    cell: (c) => (
      <div className="flex items-center gap-2">
        <ProgressBar value={c.completionPercent} tone={c.completionPercent >= 100 ? 'green' : 'blue'} />
        <span className="w-10 text-right text-xs tabular-nums text-slate-500">{Math.floor(c.completionPercent)}%</span>
      </div>
    ),
  },
];

export function ActiveCampaignsTable({ data }: { data: Data }) {
  return (
    <>
      <DataTable
        hover={false}
        columns={columns}
        rows={data.campaigns}
        rowKey={(c) => c.id}
        empty={{
          title: 'No campaigns running',
          body: (
            <>
              <p>Build a campaign on the Campaigns page and deploy it; its vehicles&apos; progress shows up here.</p>
              <div className="mt-3">
                <ButtonLink href="/campaigns">Go to Campaigns</ButtonLink>
              </div>
            </>
          ),
        }}
      />
      {data.total > data.campaigns.length ? (
        <p className="mt-3 text-sm text-slate-500">
          Showing {data.campaigns.length} of {data.total} running campaigns.{' '}
          <Link href="/campaigns" className="font-medium text-blue-700 hover:underline">
            See them all
          </Link>
        </p>
      ) : null}
    </>
  );
}
