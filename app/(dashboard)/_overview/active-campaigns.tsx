'use client';

import Link from 'next/link';
import type { RouterOutputs } from '../../_trpc/client';
import { ButtonLink, CampaignStatusBadge, EmptyState, ProgressBar, Table, Td, Th } from '@/app/_components/ui';

type Data = RouterOutputs['overview']['activeCampaigns'];

const n = (value: number, tone?: string) => <span className={value ? tone : 'text-slate-400'}>{value.toLocaleString()}</span>;

export function ActiveCampaignsTable({ data }: { data: Data }) {
  if (!data.campaigns.length) {
    return (
      <EmptyState title="No campaigns running">
        <p>Build a campaign on the Campaigns page and deploy it; its vehicles' progress shows up here.</p>
        <div className="mt-3">
          <ButtonLink href="/campaigns">Go to Campaigns</ButtonLink>
        </div>
      </EmptyState>
    );
  }
  return (
    <>
      <Table>
        <thead>
          <tr>
            <Th>Campaign</Th>
            <Th>Status</Th>
            <Th className="text-right">Vehicles</Th>
            <Th className="text-right">Completed</Th>
            <Th className="text-right">Failed</Th>
            <Th className="text-right">In progress</Th>
            <Th className="text-right">Waiting</Th>
            <Th className="w-56">Progress</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {data.campaigns.map((c) => (
            <tr key={c.id}>
              <Td>
                <Link href={`/campaigns/${c.id}`} className="font-medium text-blue-700 hover:underline">
                  {c.name}
                </Link>
                <span className="ml-1.5 text-xs text-slate-400">#{c.id}</span>
              </Td>
              <Td>
                <CampaignStatusBadge status={c.status} />
              </Td>
              <Td className="text-right tabular-nums">{c.vehicles.toLocaleString()}</Td>
              <Td className="text-right tabular-nums">{n(c.completed, 'text-emerald-700')}</Td>
              <Td className="text-right tabular-nums">
                {n(c.failed, 'font-medium text-red-600')}
                {c.declined ? <div className="text-xs text-amber-700">{c.declined.toLocaleString()} declined</div> : null}
              </Td>
              <Td className="text-right tabular-nums">{n(c.inProgress, 'text-blue-700')}</Td>
              <Td className="text-right tabular-nums" >{n(c.queued)}</Td>
              <Td>
                <div className="flex items-center gap-2">
                  <ProgressBar value={c.completionPercent} tone={c.completionPercent >= 100 ? 'green' : 'blue'} />
                  <span className="w-10 text-right text-xs tabular-nums text-slate-500">{Math.floor(c.completionPercent)}%</span>
                </div>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
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
