'use client';

import Link from 'next/link';
import type { RouterOutputs } from '../../_trpc/client';
import { Badge, EmptyState, PhaseBadge, Table, Td, Th, Time } from '@/app/_components/ui';

type Failure = RouterOutputs['overview']['recentFailures'][number];

export function RecentFailuresTable({ failures }: { failures: Failure[] }) {
  if (!failures.length) {
    return (
      <EmptyState title="No failures">
        Vehicles that fail or decline an update in a running campaign, and vehicle error reports (C_28) of the last 7 days, show up here.
      </EmptyState>
    );
  }
  return (
    <Table>
      <thead>
        <tr>
          <Th>Vehicle</Th>
          <Th>Campaign</Th>
          <Th>Error codes</Th>
          <Th>When</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {failures.map((f) => (
          <tr key={`${f.source}-${f.vin}-${f.campaignId ?? 'none'}`}>
            <Td>
              <Link href={`/vehicles/${encodeURIComponent(f.vin)}`} className="font-mono text-xs text-blue-700 hover:underline">
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
            </Td>
            <Td className="max-w-52">
              {f.campaignId !== null ? (
                <Link href={`/campaigns/${f.campaignId}`} className="block truncate text-blue-700 hover:underline" title={f.campaignName ?? undefined}>
                  {f.campaignName ?? `Campaign ${f.campaignId}`}
                </Link>
              ) : (
                <span className="text-slate-400">No campaign</span>
              )}
            </Td>
            <Td>
              {f.errorCodes.length ? (
                <div className="flex flex-wrap gap-1">
                  {f.errorCodes.map((code) => (
                    <span key={code} className="rounded bg-red-50 px-1.5 py-0.5 font-mono text-xs text-red-700">
                      {code}
                    </span>
                  ))}
                </div>
              ) : (
                <span className="text-slate-400">none reported</span>
              )}
            </Td>
            <Td className="whitespace-nowrap text-xs text-slate-500">
              <Time value={f.at} relative />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
