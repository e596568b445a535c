'use client';

import type { ReactNode } from 'react';
import { Badge, Card, DataTable, Time, type Columns } from '@/app/_components/ui';
import type { RouterOutputs } from '@/app/_trpc/client';
import { formatMb } from '../_components/format';
import { RmStateBadge } from '../_components/status-badges';

type Profile = RouterOutputs['vehicles']['get'];

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[10rem_minmax(0,1fr)] gap-3 py-1.5 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 text-slate-800">{children}</dd>
    </div>
  );
}

const none = (text = '—') => <span className="text-slate-400">{text}</span>;

/** Who the vehicle is: VIN, ids, model, state, when it was last heard from, whether it signs. */
export function IdentityCard({ profile }: { profile: Profile }) {
  const v = profile.identity;
  return (
    <Card title="Identity">
      <dl className="divide-y divide-slate-100">
        <Fact label="VIN">
          <span className="font-mono">{v.vin}</span>
        </Fact>
        <Fact label="primaryId">
          <span className="font-mono">{v.primaryId}</span>
        </Fact>
        <Fact label="Model">{v.model ?? none()}</Fact>
        <Fact label="Region">{v.region ?? none()}</Fact>
        <Fact label="Vehicle state">
          <span className="flex flex-wrap items-center gap-2">
            <RmStateBadge state={v.rmState} />
            {v.rmStateAt ? (
              <span className="text-xs text-slate-500">
                since <Time value={v.rmStateAt} />
              </span>
            ) : null}
          </span>
        </Fact>
        <Fact label="Last seen">
          {v.lastSeenAt ? (
            <span>
              <Time value={v.lastSeenAt} relative /> <span className="text-xs text-slate-500">(<Time value={v.lastSeenAt} />)</span>
            </span>
          ) : (
            none('never: the vehicle has not contacted the server yet')
          )}
        </Fact>
        <Fact label="Last configuration">{v.lastConfigAt ? <Time value={v.lastConfigAt} /> : none('never uploaded')}</Fact>
        <Fact label="Config digest">{v.configDigest ? <span className="break-all font-mono text-xs">{v.configDigest}</span> : none()}</Fact>
        <Fact label="Signs its requests">
          {v.signsRequests ? (
            <Badge tone="green" title="A key is enrolled: every request of this vehicle must carry a valid ed25519 signature">
              Yes — public key registered
            </Badge>
          ) : (
            <Badge tone="slate" title="No key is enrolled: its unsigned requests are accepted only under VEHICLE_AUTH=open (see Vehicle key below)">
              No public key
            </Badge>
          )}
        </Fact>
        <Fact label="Registered">
          <Time value={v.createdAt} />
        </Fact>
      </dl>
    </Card>
  );
}

const ecuColumns: Columns<Profile['ecus'][number]> = [
  { header: 'ECU', className: 'font-mono', cell: (e) => e.ecuId },
  {
    header: 'Software version',
    className: 'font-mono font-medium',
    cell: (e) => (
      <>
        {e.softwareVersion ?? none()}
        {e.source === 'activation' ? (
          <span className="ml-2 font-sans">
            <Badge tone="blue" title="Set by a successful activation (C_24) of the campaign’s package; the vehicle’s next configuration upload confirms it">
              reported by activation
            </Badge>
          </span>
        ) : null}
      </>
    ),
  },
  { header: 'Software id', className: 'font-mono text-xs', cell: (e) => e.softwareId ?? none() },
  { header: 'Hardware', className: 'font-mono text-xs', cell: (e) => e.hardwareId ?? none() },
  { header: 'Reported', className: 'text-xs', cell: (e) => <Time value={e.reportedAt} relative /> },
];

/** What the vehicle runs: each ECU's software, RXSWIN, package storage and locale. */
export function SoftwareCard({ profile }: { profile: Profile }) {
  const c = profile.latestConfig;
  const used = c?.storageUsedMb ?? null;
  const available = c?.storageAvailableMb ?? null;
  const total = used !== null && available !== null ? used + available : null;
  return (
    <Card title="Installed software">
      <div className="mb-4">
        <DataTable
          bleed="-mx-4 -mt-4"
          hover={false}
          columns={ecuColumns}
          rows={profile.ecus}
          rowKey={(e) => e.ecuId}
          empty={{ title: 'No ECU reported yet', body: 'The vehicle lists its ECUs and their software when it uploads its configuration (C_05).' }}
        />
      </div>
      {profile.configMismatch ? (
        <div role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          <div className="font-medium">Configuration differs from expected after campaign {profile.configMismatch.campaignId}</div>
          <ul className="mt-1 list-disc pl-5">
            {profile.configMismatch.differences.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </div>
      ) : profile.configUpload ? (
        <p className="mb-4 rounded-md border border-blue-200 bg-blue-50 p-3 text-sm text-blue-800">
          Campaign {profile.configUpload.campaignId} completed: the vehicle is asked (C_03) to upload its configuration, which should show{' '}
          {profile.configUpload.ecus.map((e) => `ECU ${e.ecuId} ${e.version}`).join(', ')}
          {profile.configUpload.rxswin.length ? ` and RXSWIN ${profile.configUpload.rxswin.join(', ')}` : ''}.
        </p>
      ) : null}
      {c ? (
        <dl className="divide-y divide-slate-100">
          <Fact label="RXSWIN">
            {c.rxswin.length ? (
              <span className="flex flex-wrap gap-1">
                {c.rxswin.map((r) => (
                  <span key={r} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">
                    {r}
                  </span>
                ))}
              </span>
            ) : (
              none('not reported')
            )}
          </Fact>
          <Fact label="Package storage">
            {total !== null ? (
              <div>
                <div className="flex justify-between text-xs text-slate-600">
                  <span>{formatMb(used)} used</span>
                  <span>{formatMb(available)} available</span>
                </div>
                <div className="mt-1 h-2 overflow-hidden rounded-full bg-slate-100" role="meter" aria-valuenow={used ?? 0} aria-valuemin={0} aria-valuemax={total} aria-label="Package storage used">
                  <div className="h-full rounded-full bg-slate-500" style={{ width: `${total ? Math.min(100, ((used ?? 0) / total) * 100) : 0}%` }} />
                </div>
              </div>
            ) : (
              <span>
                {formatMb(used)} used · {formatMb(available)} available
              </span>
            )}
          </Fact>
          <Fact label="Locale">{c.locale ?? none('not reported')}</Fact>
          <Fact label="As of">
            <Time value={c.receivedAt} /> <span className="text-xs text-slate-500">(latest configuration upload)</span>
          </Fact>
        </dl>
      ) : (
        <p className="text-sm text-slate-500">RXSWIN, storage and locale appear after the vehicle’s first configuration upload.</p>
      )}
    </Card>
  );
}
