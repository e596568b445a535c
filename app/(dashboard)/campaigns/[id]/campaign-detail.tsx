'use client';

import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useState } from 'react';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';
import { Badge, CampaignStatusBadge, Card, EmptyState, PageHeader, QueryState, ProgressBar, Stat, Time } from '@/app/_components/ui';
import { formatBytes } from '@/server/packages/format-bytes';
import { Window } from '../campaign-list';
import { useCanOperate } from '@/app/_components/use-can-operate';
import { FailuresCard } from './failures-card';
import { Funnel } from './funnel';
import { LifecycleActions } from './lifecycle-actions';
import { resumeMessage } from './operator-messages';
import { RolloutCard } from './rollout-card';
import { SuspendedBanner } from './suspended-banner';
import { TypeApprovalReport } from './type-approval-report';
import { noFilter, VehicleTable, type TableFilter } from './vehicle-table';
import { consentLabels, transportLabels } from '../_lib/policy-labels';

type Campaign = RouterOutputs['campaigns']['get'];
const LIVE = 5_000;


export function CampaignDetail() {
  const params = useParams<{ id: string }>();
  const id = /^\d{1,9}$/.test(params.id) ? Number(params.id) : null;
  if (!id) {
    return (
      <EmptyState title={`There is no campaign “${params.id}”`}>
        <Link href="/campaigns" className="font-medium text-blue-600 hover:underline">
          Back to the campaigns
        </Link>
      </EmptyState>
    );
  }
  return <CampaignById id={id} />;
}

function CampaignById({ id }: { id: number }) {
  const trpc = useTRPC();
  const { canOperate } = useCanOperate();
  const campaign = useQuery({ ...trpc.campaigns.get.queryOptions({ id }), refetchInterval: LIVE });
  const waves = useQuery({ ...trpc.campaigns.waves.queryOptions({ id }), refetchInterval: LIVE });
  const [tableFilter, setTableFilter] = useState<TableFilter>(noFilter);
  const showInTable = (patch: Partial<TableFilter>) => {
    setTableFilter({ ...noFilter, ...patch });
    document.getElementById('vehicles')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  return (
    <QueryState
      query={campaign}
      loading="Loading the campaign…"
      frame={(state) => (
        <>
          <PageHeader title={`Campaign ${id}`} />
          {state}
          <p className="mt-3 text-sm">
            <Link href="/campaigns" className="font-medium text-blue-600 hover:underline">
              Back to the campaigns
            </Link>
          </p>
        </>
      )}
    >
      {(c) => <CampaignPage c={c} refreshing={campaign.isFetching} waves={waves} canOperate={canOperate} tableFilter={tableFilter} onTableFilter={setTableFilter} showInTable={showInTable} />}
    </QueryState>
  );
}

function CampaignPage({
  c,
  refreshing,
  waves,
  canOperate,
  tableFilter,
  onTableFilter,
  showInTable,
}: {
  c: Campaign;
  refreshing: boolean;
  waves: UseQueryResult<RouterOutputs['campaigns']['waves'], { message: string }>;
  canOperate: boolean;
  tableFilter: TableFilter;
  onTableFilter: (filter: TableFilter) => void;
  showInTable: (patch: Partial<TableFilter>) => void;
}) {
  const finished = c.counts.completed + c.counts.failed + c.counts.declined + c.counts.cancelled;
  const moving = c.counts.total - finished - c.counts.queued;
  const waveCount = waves.data?.waveCount ?? Math.max(1, c.rollout.waves.length);
  const failedInWave = waves.data?.current.failed ?? 0;
  const resume = resumeMessage({ failedInWave, wave: c.currentWave, waveCount, errorThreshold: c.rollout.errorThreshold });

  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {c.name} <CampaignStatusBadge status={c.status} />
          </span>
        }
        subtitle={
          <>
            Campaign #{c.id} · {c.vehiclePackage.name} {c.vehiclePackage.version} · priority {c.priority} · updated <Time value={c.updatedAt} relative />
            {refreshing ? <span className="ml-2 text-xs text-slate-400">refreshing…</span> : null}
          </>
        }
        actions={
          <LifecycleActions
            campaignId={c.id}
            status={c.status}
            vehicleCount={c.counts.total}
            completed={c.counts.completed}
            canOperate={canOperate}
            resumeMessage={resume}
            firstWave={waves.data?.waves[0]?.vehicles}
          />
        }
      />

      {c.status === 'Suspended' ? (
        <SuspendedBanner
          campaignId={c.id}
          reason={c.suspendReason}
          retryable={c.counts.failed + c.counts.declined}
          failedInWave={failedInWave}
          wave={c.currentWave}
          waveCount={waveCount}
          errorThreshold={c.rollout.errorThreshold}
          canOperate={canOperate}
        />
      ) : null}

      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Vehicles" value={c.counts.total} hint={`${c.counts.queued} not started yet`} />
        <Stat label="Completed" value={c.counts.completed} tone="green" hint={<ProgressBar value={c.completedPercent} tone="green" />} />
        <Stat label="In progress" value={moving} tone="blue" hint="Between command delivered and activating" />
        <Stat label="Failed or declined" value={c.counts.failed + c.counts.declined} tone={c.counts.failed + c.counts.declined ? 'red' : 'slate'} hint={`${c.counts.failed} failed · ${c.counts.declined} declined`} />
      </div>

      <div className="mb-6">
        <QueryState query={waves} loading="Loading the waves…" frame={(state) => <Card title="Rollout">{state}</Card>}>
          {(progress) => <RolloutCard campaignId={c.id} progress={progress} canOperate={canOperate} onShowWave={(wave) => showInTable({ wave })} />}
        </QueryState>
      </div>

      <div className="mb-6 grid gap-6 lg:grid-cols-5">
        <Card title="Vehicles per phase" className="lg:col-span-3">
          {c.counts.total ? (
            <>
              <Funnel counts={c.counts} />
              <Attention blocked={c.attention.blocked} stalled={c.attention.stalled} stallAfterMinutes={c.stallAfterMinutes} onShow={showInTable} />
            </>
          ) : (
            <EmptyState title="This campaign targets no vehicles" />
          )}
        </Card>
        <div className="lg:col-span-2">
          <FailuresCard campaignId={c.id} status={c.status} canOperate={canOperate} live={LIVE} />
        </div>
      </div>

      <div className="mb-6 scroll-mt-4" id="vehicles">
        <VehicleTable
          campaignId={c.id}
          status={c.status}
          counts={c.counts}
          attention={c.attention}
          waveCount={waveCount}
          stallAfterMinutes={c.stallAfterMinutes}
          canOperate={canOperate}
          filter={tableFilter}
          onFilter={onTableFilter}
        />
      </div>

      <div className="mb-6" id="type-approval">
        <TypeApprovalReport campaignId={c.id} onShowConfigDiffers={() => showInTable({ configDiffers: true })} />
      </div>

      <Details campaign={c} />
    </>
  );
}

/** Blocked and stalled vehicles beside the funnel, each a shortcut to the table filtered to them. */
function Attention({ blocked, stalled, stallAfterMinutes, onShow }: { blocked: number; stalled: number; stallAfterMinutes: number; onShow: (patch: Partial<TableFilter>) => void }) {
  const item = (n: number, label: string, hint: string, patch: Partial<TableFilter>, testId: string) => (
    <li className="flex items-center gap-3 text-sm" data-testid={testId}>
      <span className={`w-44 shrink-0 ${n ? 'text-amber-800' : 'text-slate-400'}`}>{label}</span>
      <span className={`w-10 shrink-0 text-right font-medium tabular-nums ${n ? 'text-amber-800' : 'text-slate-400'}`}>{n}</span>
      <span className="flex-1 text-xs text-slate-500">
        {hint}
        {n ? (
          <>
            {' '}
            <button type="button" className="font-medium text-blue-700 hover:underline" onClick={() => onShow(patch)}>
              Show them
            </button>
          </>
        ) : null}
      </span>
    </li>
  );
  return (
    <ul className="mt-4 space-y-1.5 border-t border-slate-100 pt-3" aria-label="Vehicles needing attention">
      {item(blocked, 'Blocked', 'Not offered: their configuration does not meet the preconditions.', { blocked: true }, 'blocked-count')}
      {item(stalled, 'Stalled', `No report for over ${stallAfterMinutes} min on their way.`, { stalled: true }, 'stalled-count')}
    </ul>
  );
}

function Details({ campaign: c }: { campaign: Campaign }) {
  const policy = c.reproPolicy;
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card title="Settings">
        <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-slate-500">Description</dt>
          <dd className="whitespace-pre-line">{c.description || <span className="text-slate-400">—</span>}</dd>
          <dt className="text-slate-500">Window</dt>
          <dd>
            <Window startsAt={c.startsAt} endsAt={c.endsAt} />
          </dd>
          <dt className="text-slate-500">Requires consent</dt>
          <dd>{c.requiresConsent ? 'Yes' : 'No'}</dd>
          <dt className="text-slate-500">Consent</dt>
          <dd>{consentLabels[policy.consent]}</dd>
          <dt className="text-slate-500">Max retries</dt>
          <dd>{policy.maxRetries}</dd>
          <dt className="text-slate-500">Download over</dt>
          <dd>{policy.transports.map((t) => transportLabels[t]).join(', ')}</dd>
          <dt className="text-slate-500">Min free storage</dt>
          <dd>{policy.minFreeStorageMb} MB</dd>
          <dt className="text-slate-500">Required ECUs</dt>
          <dd>
            {c.preconditions.ecus.length ? (
              <ul className="space-y-0.5">
                {c.preconditions.ecus.map((e) => (
                  <li key={e.ecuId}>
                    <Badge>ECU {e.ecuId}</Badge> {e.versions.length ? <span className="font-mono text-xs">{e.versions.join(', ')}</span> : <span className="text-slate-500">any version</span>}
                  </li>
                ))}
              </ul>
            ) : (
              <span className="text-slate-500">None</span>
            )}
          </dd>
          <dt className="text-slate-500">Extra free storage</dt>
          <dd>{c.preconditions.minFreeStorageMb} MB beyond the package</dd>
          <dt className="text-slate-500">After a decline</dt>
          <dd>{c.reofferDeclinedAfterHours === null ? 'Not offered again' : `Offered again after ${c.reofferDeclinedAfterHours} h`}</dd>
          <dt className="text-slate-500">StartCampaign</dt>
          <dd>
            Handed out again after {Math.round(c.commandAckTimeoutSeconds / 60)} min without acknowledgement, at most {c.commandMaxRedeliveries} times
          </dd>
          <dt className="text-slate-500">Stalled after</dt>
          <dd>{c.stallAfterMinutes} min of silence</dd>
          <dt className="text-slate-500">Created</dt>
          <dd>
            <Time value={c.createdAt} />
          </dd>
        </dl>
      </Card>
      <div className="space-y-6">
        <Card title={`Vehicle package: ${c.vehiclePackage.name} ${c.vehiclePackage.version}`}>
          <ol className="space-y-1 text-sm">
            {c.vehiclePackage.softwarePackages.map((sp, i) => (
              <li key={sp.id} className="flex items-center gap-2">
                <span className="w-4 text-right text-xs text-slate-400">{i + 1}.</span>
                <Badge>ECU {sp.targetEcu}</Badge>
                <span className="flex-1">
                  {sp.name} {sp.version} <span className="font-mono text-xs text-slate-500">{sp.fileName}</span>
                </span>
                <span className="text-xs tabular-nums text-slate-500">{formatBytes(sp.length)}</span>
              </li>
            ))}
          </ol>
        </Card>
        <Card title="HMI texts">
          {c.hmiTexts.length === 0 ? (
            <p className="text-sm text-slate-500">None: vehicles show their own generic message.</p>
          ) : (
            <ul className="space-y-3 text-sm">
              {c.hmiTexts.map((t) => (
                <li key={t.locale}>
                  <div className="flex items-center gap-2">
                    <Badge tone="blue">{t.locale}</Badge>
                    {t.locale === c.defaultLocale ? <span className="text-xs text-slate-500">default</span> : null}
                  </div>
                  <p className="mt-1 font-medium">{t.title}</p>
                  {t.body ? <p className="text-slate-600">{t.body}</p> : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
