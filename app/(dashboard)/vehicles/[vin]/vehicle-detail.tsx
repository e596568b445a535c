'use client';

import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { ButtonLink, EmptyState, PageHeader, QueryState, Time } from '@/app/_components/ui';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';
import { RmStateBadge } from '../_components/status-badges';
import { useCanOperate } from '@/app/_components/use-can-operate';
import { ActionOverridesCard } from './action-overrides-card';
import { KeysCard } from './keys-card';
import { CommandsCard } from './commands-card';
import { IdentityCard, SoftwareCard } from './identity-card';
import { LogsCard } from './logs-card';
import { SnapshotsCard } from './snapshots-card';
import { SoftwareRegisterCard } from './software-register-card';
import { OtherEvents, UpdateHistory } from './update-history';

const REFRESH_MS = 5000;

type Profile = RouterOutputs['vehicles']['get'];

const sections = [
  { id: 'identity', label: 'Identity & software' },
  { id: 'register', label: 'Software register' },
  { id: 'history', label: 'Update history' },
  { id: 'commands', label: 'Commands' },
  { id: 'configuration', label: 'Configuration' },
  { id: 'logs', label: 'Logs' },
  { id: 'actions', label: 'Action overrides' },
];

const decode = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** /vehicles/[vin]: everything support needs to tell a vehicle's update story, refreshed every 5 seconds. */
export function VehicleDetail() {
  const vin = decode(String(useParams<{ vin: string }>().vin ?? ''));
  const trpc = useTRPC();
  const { canOperate } = useCanOperate();
  const profile = useQuery({ ...trpc.vehicles.get.queryOptions({ vin }), refetchInterval: REFRESH_MS });
  const history = useQuery({ ...trpc.events.history.queryOptions({ vin }), refetchInterval: REFRESH_MS });

  return (
    <QueryState
      query={profile}
      loading={`Loading ${vin}…`}
      notFound={
        <>
          <PageHeader title={<span className="font-mono">{vin}</span>} />
          <EmptyState title={`No vehicle ${vin} is registered`}>
            Check the VIN, or <Link href={`/vehicles/lookup?q=${encodeURIComponent(vin)}`} className="text-blue-700 underline">look up VINs that contain it</Link>.
          </EmptyState>
        </>
      }
    >
      {(data) => <VehiclePage profile={data} history={history} stale={profile.isRefetchError || history.isRefetchError} updatedAt={profile.dataUpdatedAt} canOperate={canOperate} />}
    </QueryState>
  );
}

function VehiclePage({
  profile,
  history,
  stale,
  updatedAt,
  canOperate,
}: {
  profile: Profile;
  history: UseQueryResult<RouterOutputs['events']['history'], { message: string }>;
  stale: boolean;
  updatedAt: number;
  canOperate: boolean;
}) {
  const v = profile.identity;
  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            <span className="font-mono">{v.vin}</span>
            <RmStateBadge state={v.rmState} />
          </span>
        }
        subtitle={
          <>
            {[v.model, v.region].filter(Boolean).join(' · ') || 'Model and region unknown'} · last seen{' '}
            {v.lastSeenAt ? <Time value={v.lastSeenAt} relative /> : 'never'}
          </>
        }
        actions={
          <>
            <LiveIndicator stale={stale} updatedAt={updatedAt} />
            <ButtonLink href="/vehicles">All vehicles</ButtonLink>
          </>
        }
      />
      <nav aria-label="Sections" className="sticky top-0 z-10 -mx-4 mb-4 flex flex-wrap gap-1 border-b border-slate-200 bg-slate-50/95 px-4 py-2 text-sm backdrop-blur">
        {sections.map((s) => (
          <a key={s.id} href={`#${s.id}`} className="rounded-md px-2.5 py-1 font-medium text-slate-600 hover:bg-white hover:text-slate-900">
            {s.label}
          </a>
        ))}
      </nav>

      <div className="space-y-6">
        <div id="identity" className="grid scroll-mt-16 gap-6 lg:grid-cols-2">
          <IdentityCard profile={profile} />
          <SoftwareCard profile={profile} />
        </div>

        <div id="register" className="scroll-mt-16">
          <SoftwareRegisterCard vin={v.vin} />
        </div>

        <div id="history" className="scroll-mt-16 space-y-6">
          <QueryState query={history} loading="Loading the update history…">
            {(data) => (
              <>
                <UpdateHistory history={data} />
                <OtherEvents events={data.otherEvents} />
              </>
            )}
          </QueryState>
        </div>

        <div id="commands" className="scroll-mt-16">
          <CommandsCard vin={v.vin} campaigns={history.data?.campaigns} canOperate={canOperate} />
        </div>
        <div id="configuration" className="scroll-mt-16">
          <SnapshotsCard vin={v.vin} />
        </div>
        <div id="logs" className="scroll-mt-16">
          <LogsCard vin={v.vin} />
        </div>
        <div id="actions" className="scroll-mt-16">
          <ActionOverridesCard vin={v.vin} canOperate={canOperate} />
        </div>
        <div id="keys" className="scroll-mt-16">
          <KeysCard vin={v.vin} canOperate={canOperate} />
        </div>
      </div>
    </>
  );
}

function LiveIndicator({ stale, updatedAt }: { stale: boolean; updatedAt: number }) {
  if (stale) {
    return (
      <span role="status" className="inline-flex items-center gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-xs text-amber-800">
        Could not refresh — showing data from <Time value={new Date(updatedAt)} />
      </span>
    );
  }
  return (
    <span className="inline-flex items-center gap-2 px-2 text-xs text-slate-500" title="This page refreshes every 5 seconds">
      <span className="relative flex h-2 w-2">
        <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-emerald-400 opacity-75" />
        <span className="relative inline-flex h-2 w-2 rounded-full bg-emerald-500" />
      </span>
      Live · updates every 5 s
    </span>
  );
}
