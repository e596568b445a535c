'use client';

import Link from 'next/link';
import type { RouterOutputs } from '@/app/_trpc/client';
import { Badge, DataTable, PhaseBadge, Time, type Columns } from '@/app/_components/ui';
import { vehicleHref } from '../vehicles/_components/format';

type Failure = RouterOutputs['overview']['recentFailures'][number];

const columns: Columns<Failure> = [
  {
    header: 'Vehicle',
    cell: (f) => (
      <>
        <Link href={vehicleHref(f.vin)} className="font-mono text-xs text-blue-700 hover:underline">
          {f.vin}
        </Link>
        <div className="mt-1">
          {f.source === 'vehicle-error' ? (
            <Badge tone="red" title="The vehicle sent an error report (C_28)">
              Vehicle error
            </Badge>
          ) : f.phase ? (
            <PhaseBadge phase={f.phase} />
          ) : null}
        </div>
      </>
    ),
  },
  {
    header: 'Campaign',
    className: 'max-w-52',
    cell: (f) =>
      f.campaignId !== null ? (
        <Link href={`/campaigns/${f.campaignId}`} className="block truncate text-blue-700 hover:underline" title={f.campaignName ?? undefined}>
          {f.campaignName ?? `Campaign ${f.campaignId}`}
        </Link>
      ) : (
        <span className="text-slate-400">No campaign</span>
      ),
  },
  {
    header: 'Error codes',
    cell: (f) =>
      f.errorCodes.length ? (
        <div className="flex flex-wrap gap-1">
          {f.errorCodes.map((code) => (
            <span key={code} className="rounded bg-red-50 px-1.5 py-0.5 font-mono text-xs text-red-700">
              {code}
            </span>
          ))}
        </div>
      ) : (
        <span className="text-slate-400">none reported</span>
      ),
  },
  { header: 'When', className: 'whitespace-nowrap text-xs text-slate-500', cell: (f) => <Time value={f.at} relative /> },
];

export function RecentFailuresTable({ failures }: { failures: Failure[] }) {
  return (
    <DataTable
      hover={false}
      columns={columns}
      rows={failures}
      rowKey={(f) => `${f.source}-${f.vin}-${f.campaignId ?? 'none'}`}
      empty={{
        title: 'No failures',
        body: 'Vehicles that fail or decline an update in a running campaign, and vehicle error reports (C_28) of the last 7 days, show up here.',
      }}
    />
  );
}
