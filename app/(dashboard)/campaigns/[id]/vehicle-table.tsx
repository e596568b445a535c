'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useTRPC } from '@/app/_trpc/client';
import { Card, EmptyState, ErrorState, Input, LoadingState, Pager, PhaseBadge, ProgressBar, Select, Table, Td, Th, Time } from '@/app/_components/ui';
import { describeErrorCode } from '@/server/campaigns/error-codes';
import { phaseLabels, phases, type Phase } from '@/server/campaigns/vehicle-phase';
import { useDebounced } from '../_lib/use-debounced';

const PAGE_SIZE = 25;

/** The campaign's vehicles, filtered and paged on the server, refreshed every 5 s; the CSV has the whole filtered list. */
export function VehicleTable({ campaignId, counts }: { campaignId: number; counts: Record<Phase | 'total', number> }) {
  const trpc = useTRPC();
  const [phase, setPhase] = useState<Phase | ''>('');
  const [vinText, setVinText] = useState('');
  const [page, setPage] = useState(0);
  const vin = useDebounced(vinText.trim(), 300);
  const filter = { phase: phase || undefined, vin: vin || undefined };
  const list = useQuery({
    ...trpc.campaigns.vehicles.queryOptions({ id: campaignId, filter, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: 5_000,
  });
  const csvParams = new URLSearchParams({ ...(filter.phase ? { phase: filter.phase } : {}), ...(filter.vin ? { vin: filter.vin } : {}) });
  const csvHref = `/api/campaigns/${campaignId}/vehicles.csv${csvParams.size ? `?${csvParams}` : ''}`;

  return (
    <Card
      title="Vehicles"
      actions={
        <a href={csvHref} download className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50">
          Export CSV{filter.phase || filter.vin ? ' (filtered)' : ''}
        </a>
      }
    >
      <div className="mb-3 flex flex-wrap gap-3">
        <div className="w-56">
          <Select
            aria-label="Filter by phase"
            value={phase}
            onChange={(e) => {
              setPhase(e.target.value as Phase | '');
              setPage(0);
            }}
          >
            <option value="">All phases ({counts.total})</option>
            {phases.map((p) => (
              <option key={p} value={p}>
                {phaseLabels[p]} ({counts[p]})
              </option>
            ))}
          </Select>
        </div>
        <div className="w-64">
          <Input
            type="search"
            aria-label="Filter by VIN"
            placeholder="VIN contains…"
            value={vinText}
            onChange={(e) => {
              setVinText(e.target.value);
              setPage(0);
            }}
          />
        </div>
      </div>
      {list.isPending ? (
        <LoadingState label="Loading vehicles…" />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => list.refetch()} />
      ) : list.data.total === 0 ? (
        <EmptyState title={filter.phase || filter.vin ? 'No vehicle matches this filter' : 'This campaign targets no vehicles'}>
          {filter.phase || filter.vin ? 'Choose another phase or clear the VIN search.' : 'Create a new campaign with target vehicles.'}
        </EmptyState>
      ) : (
        <>
          <Table>
            <thead>
              <tr>
                <Th>VIN</Th>
                <Th>Model · region</Th>
                <Th>Phase</Th>
                <Th className="w-40">Download</Th>
                <Th>Last error</Th>
                <Th>Last event</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {list.data.rows.map((v) => (
                <tr key={v.vin}>
                  <Td>
                    <Link href={`/vehicles/${encodeURIComponent(v.vin)}`} className="font-mono text-blue-700 hover:underline">
                      {v.vin}
                    </Link>
                  </Td>
                  <Td className="text-xs text-slate-600">{[v.model, v.region].filter(Boolean).join(' · ') || '—'}</Td>
                  <Td>
                    <PhaseBadge phase={v.phase} />
                  </Td>
                  <Td>
                    <div className="flex items-center gap-2">
                      <ProgressBar value={v.progress} tone={v.phase === 'completed' ? 'green' : 'blue'} />
                      <span className="w-9 text-right text-xs tabular-nums text-slate-600">{v.progress}%</span>
                    </div>
                  </Td>
                  <Td>{v.lastErrorCode ? <span title={describeErrorCode(v.lastErrorCode)} className="cursor-help font-mono text-xs text-red-700">{v.lastErrorCode}</span> : <span className="text-slate-400">—</span>}</Td>
                  <Td className="text-xs">
                    <Time value={v.lastEventAt} />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
        </>
      )}
    </Card>
  );
}
