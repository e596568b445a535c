'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { CampaignStatus } from '@/db/schema/campaigns';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';
import { ActionOutcome, Badge, Card, ConfirmButton, DataTable, Input, PhaseBadge, ProgressBar, QueryState, Select, Time, type Columns } from '@/app/_components/ui';
import { vehicleHref } from '../../vehicles/_components/format';
import { describeErrorCode } from '@/server/campaigns/error-codes';
import { phaseLabels, phases, type Phase } from '@/server/campaigns/vehicle-phase';
import { useDebounced } from '../_lib/use-debounced';

const PAGE_SIZE = 25;

type CampaignVehicle = RouterOutputs['campaigns']['vehicles']['rows'][number];

/** The table's filters; the campaign page sets them too (blocked and stalled counts, a wave's "show vehicles"). */
export type TableFilter = { phase: Phase | ''; vin: string; wave: number | null; blocked: boolean; stalled: boolean; configDiffers?: boolean };
export const noFilter: TableFilter = { phase: '', vin: '', wave: null, blocked: false, stalled: false, configDiffers: false };

type Props = {
  campaignId: number;
  status: CampaignStatus;
  counts: Record<Phase | 'total', number>;
  attention: { blocked: number; stalled: number };
  waveCount: number;
  stallAfterMinutes: number;
  canOperate: boolean;
  filter: TableFilter;
  onFilter: (filter: TableFilter) => void;
};

const cancellable = (phase: string) => phase !== 'completed' && phase !== 'cancelled';

/** The campaign's vehicles, filtered and paged on the server, refreshed every 5 s; the CSV has the whole filtered list. */
export function VehicleTable({ campaignId, status, counts, attention, waveCount, stallAfterMinutes, canOperate, filter, onFilter }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const vin = useDebounced(filter.vin.trim(), 300);
  const query = {
    phase: filter.phase || undefined,
    vin: vin || undefined,
    wave: filter.wave ?? undefined,
    blocked: filter.blocked || undefined,
    stalled: filter.stalled || undefined,
    configDiffers: filter.configDiffers || undefined,
  };
  const list = useQuery({
    ...trpc.campaigns.vehicles.queryOptions({ id: campaignId, filter: query, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: 5_000,
  });
  const cancel = useMutation(
    trpc.campaigns.cancelVehicle.mutationOptions({
      onSuccess: (r, v) => {
        setNotice(`${v.vin} is out of this campaign (was ${phaseLabels[r.fromPhase as Phase]?.toLowerCase() ?? r.fromPhase})${r.withdrawnCommands ? `; ${r.withdrawnCommands} open command withdrawn` : ''}.`);
        void queryClient.invalidateQueries(trpc.campaigns.pathFilter());
      },
    }),
  );
  const set = (patch: Partial<TableFilter>) => {
    setPage(0);
    onFilter({ ...filter, ...patch });
  };
  const filtered = !!(query.phase || query.vin || query.wave !== undefined || query.blocked || query.stalled || query.configDiffers);
  const csvParams = new URLSearchParams({
    ...(query.phase ? { phase: query.phase } : {}),
    ...(query.vin ? { vin: query.vin } : {}),
    ...(query.wave !== undefined ? { wave: String(query.wave + 1) } : {}),
    ...(query.blocked ? { blocked: '1' } : {}),
    ...(query.stalled ? { stalled: '1' } : {}),
    ...(query.configDiffers ? { configDiffers: '1' } : {}),
  });
  const csvHref = `/api/campaigns/${campaignId}/vehicles.csv${csvParams.size ? `?${csvParams}` : ''}`;
  const mayCancel = canOperate && (status === 'Deployed' || status === 'Suspended');
  const draft = status === 'Draft';
  const columns: Columns<CampaignVehicle> = [
    {
      header: 'VIN',
      cell: (v) => (
        <>
          <Link href={vehicleHref(v.vin)} className="font-mono text-blue-700 hover:underline">
            {v.vin}
          </Link>
          {v.retries ? <div className="text-xs text-slate-500">retried {v.retries}×</div> : null}
        </>
      ),
    },
    { header: 'Model · region', className: 'text-xs text-slate-600', cell: (v) => [v.model, v.region].filter(Boolean).join(' · ') || '—' },
    {
      header: 'Wave',
      className: 'tabular-nums',
      cell: (v) =>
        draft ? (
          <span className="text-slate-400" title="Vehicles are put in their waves when the campaign is deployed">
            —
          </span>
        ) : (
          v.wave + 1
        ),
    },
    {
      header: 'Phase',
      cell: (v) => (
        <>
          <div className="flex flex-wrap items-center gap-1">
            <PhaseBadge phase={v.phase} />
            {v.stalled ? (
              <Badge tone="amber" title={`No report for more than ${stallAfterMinutes} minutes in an active phase`}>
                Stalled
              </Badge>
            ) : null}
          </div>
          {v.blockedReason && v.phase !== 'cancelled' ? <div className="mt-1 max-w-xs text-xs text-amber-800">Not offered: {v.blockedReason}</div> : null}
          {v.configDifferences ? (
            <div className="mt-1 max-w-xs text-xs text-red-700">
              <Badge tone="red">Configuration differs from expected</Badge> {v.configDifferences.join('; ')}
            </div>
          ) : null}
        </>
      ),
    },
    {
      header: 'Progress',
      headerClassName: 'w-40',
      cell: (v) =>
        (
          [
            ['Download', v.progress],
            ['Install', v.installProgress],
            ['Activation', v.activationProgress],
          ] as const
        )
          .filter(([label, value]) => label === 'Download' || value > 0)
          .map(([label, value]) => (
            <div key={label} className="flex items-center gap-2" title={`${label} ${value}%`}>
              <span className="w-16 text-xs text-slate-500">{label}</span>
              <ProgressBar value={value} tone={v.phase === 'completed' ? 'green' : 'blue'} />
              <span className="w-9 text-right text-xs tabular-nums text-slate-600">{value}%</span>
            </div>
          )),
    },
    {
      header: 'Last error',
      cell: (v) =>
        v.lastErrorCode ? (
          <span title={describeErrorCode(v.lastErrorCode)} className="cursor-help font-mono text-xs text-red-700">
            {v.lastErrorCode}
          </span>
        ) : (
          <span className="text-slate-400">—</span>
        ),
    },
    { header: 'Last event', className: 'text-xs', cell: (v) => <Time value={v.lastEventAt} /> },
    mayCancel && {
      header: 'Action',
      headerClassName: 'text-right',
      cell: (v) =>
        cancellable(v.phase) ? (
          <div className="flex justify-end">
            <ConfirmButton
              label="Cancel"
              title={`Take ${v.vin} out of this campaign?`}
              message={`The vehicle is told the campaign is cancelled for it (C_18 answers Cancelled) and its open StartCampaign is withdrawn. It no longer counts toward the wave's thresholds. This cannot be undone for this campaign.`}
              confirmLabel="Cancel for this vehicle"
              variant="secondary"
              confirmVariant="danger"
              pending={cancel.isPending && cancel.variables?.vin === v.vin}
              disabled={cancel.isPending}
              size="sm"
              onConfirm={() => {
                setNotice(null);
                cancel.mutate({ id: campaignId, vin: v.vin });
              }}
            />
          </div>
        ) : null,
    },
  ];

  return (
    <Card
      title="Vehicles"
      actions={
        <a href={csvHref} download className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50">
          Export CSV{filtered ? ' (filtered)' : ''}
        </a>
      }
    >
      <div className="mb-3 flex flex-wrap items-center gap-3">
        <div className="w-56">
          <Select aria-label="Filter by phase" value={filter.phase} onChange={(e) => set({ phase: e.target.value as Phase | '' })}>
            <option value="">All phases ({counts.total})</option>
            {phases.map((p) => (
              <option key={p} value={p}>
                {phaseLabels[p]} ({counts[p]})
              </option>
            ))}
          </Select>
        </div>
        {waveCount > 1 && !draft ? (
          <div className="w-36">
            <Select aria-label="Filter by wave" value={filter.wave ?? ''} onChange={(e) => set({ wave: e.target.value === '' ? null : Number(e.target.value) })}>
              <option value="">All waves</option>
              {Array.from({ length: waveCount }, (_, w) => (
                <option key={w} value={w}>
                  Wave {w + 1}
                </option>
              ))}
            </Select>
          </div>
        ) : null}
        <div className="w-56">
          <Input type="search" aria-label="Filter by VIN" placeholder="VIN contains…" value={filter.vin} onChange={(e) => set({ vin: e.target.value })} />
        </div>
        <label className="inline-flex items-center gap-1.5 text-sm text-slate-700">
          <input type="checkbox" className="h-4 w-4 rounded border-slate-300" checked={filter.blocked} onChange={(e) => set({ blocked: e.target.checked })} />
          Blocked only ({attention.blocked})
        </label>
        <label className="inline-flex items-center gap-1.5 text-sm text-slate-700">
          <input type="checkbox" className="h-4 w-4 rounded border-slate-300" checked={filter.stalled} onChange={(e) => set({ stalled: e.target.checked })} />
          Stalled only ({attention.stalled})
        </label>
        <label className="inline-flex items-center gap-1.5 text-sm text-slate-700">
          <input type="checkbox" className="h-4 w-4 rounded border-slate-300" checked={!!filter.configDiffers} onChange={(e) => set({ configDiffers: e.target.checked })} />
          Configuration differs from expected
        </label>
        {filtered ? (
          <button type="button" className="text-sm font-medium text-blue-700 hover:underline" onClick={() => set(noFilter)}>
            Clear filters
          </button>
        ) : null}
      </div>
      <ActionOutcome error={cancel.error} notice={notice} />
      <QueryState query={list} loading="Loading vehicles…">
        {(data) => (
          <DataTable
            hover={false}
            columns={columns}
            rows={data.rows}
            rowKey={(v) => v.vin}
            empty={
              filtered
                ? { title: 'No vehicle matches these filters', body: 'Choose another phase or wave, untick blocked/stalled, or clear the VIN search.' }
                : { title: 'This campaign targets no vehicles', body: 'Create a new campaign with target vehicles.' }
            }
            paging={{ page, pageSize: PAGE_SIZE, total: data.total, onPage: setPage }}
          />
        )}
      </QueryState>
    </Card>
  );
}
