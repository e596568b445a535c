'use client';

import Link from 'next/link';
import { Badge, Table, Td, Th, Time } from '@/app/_components/ui';
import type { RouterOutputs } from '@/app/_trpc/client';

export type RegisterRow = RouterOutputs['register']['search']['rows'][number];

const outcomeTone = { completed: 'green', failed: 'red', declined: 'amber', cancelled: 'slate' } as const;

/** Register rows: who, which campaign, each ECU before → after, RXSWIN before → after, check, consent, outcome. */
export function RegisterTable({ rows, showVin = true }: { rows: RegisterRow[]; showVin?: boolean }) {
  return (
    <Table>
      <thead>
        <tr>
          {showVin ? <Th>VIN</Th> : null}
          <Th>Campaign · package</Th>
          <Th>ECU versions</Th>
          <Th>RXSWIN</Th>
          <Th>Compatibility check</Th>
          <Th>Consent</Th>
          <Th>Outcome</Th>
          <Th>Ended</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.id} data-testid="register-row">
            {showVin ? (
              <Td>
                <Link href={`/vehicles/${encodeURIComponent(r.vin)}`} className="font-mono text-blue-700 hover:underline">
                  {r.vin}
                </Link>
              </Td>
            ) : null}
            <Td>
              <Link href={`/campaigns/${r.campaignId}`} className="text-blue-700 hover:underline">
                #{r.campaignId} {r.campaignName}
              </Link>
              <div className="text-xs text-slate-500">
                {r.vehiclePackage.name} {r.vehiclePackage.version}
              </div>
              {r.softwarePackages.map((p) => (
                <div key={p.id} className="font-mono text-[11px] text-slate-500" title={`sha256 ${p.sha256}`}>
                  ECU {p.targetEcu} {p.fileName} sha256 {p.sha256.slice(0, 12)}…
                </div>
              ))}
            </Td>
            <Td>
              {r.ecus.map((e) => (
                <div key={e.ecuId} className="whitespace-nowrap text-sm">
                  ECU {e.ecuId}: <span className="font-mono">{e.before ?? '?'}</span> → <span className="font-mono">{e.after ?? '?'}</span>
                  {e.updateStatus === 'failure' || e.updateStatus === 'failed' ? <span className="ml-1 text-xs text-red-700">failed {e.errorCodes.join(', ')}</span> : null}
                </div>
              ))}
            </Td>
            <Td className="text-xs">
              <div>
                <span className="text-slate-500">before</span> <span className="whitespace-nowrap font-mono">{r.rxswinBefore.join(', ') || '—'}</span>
              </div>
              <div>
                <span className="text-slate-500">after</span> <span className="whitespace-nowrap font-mono">{r.rxswinAfter.join(', ') || '—'}</span>
              </div>
            </Td>
            <Td className="text-xs">
              <Badge tone={r.compatibility.status === 'ok' ? 'green' : 'amber'}>{r.compatibility.status}</Badge>
              {r.compatibility.reason ? <div className="mt-1 max-w-xs text-slate-600">{r.compatibility.reason}</div> : null}
              {r.compatibility.snapshot ? (
                <div className="mt-1 text-slate-500">
                  configuration #{r.compatibility.snapshot.id} of <Time value={r.compatibility.snapshot.receivedAt} />
                </div>
              ) : null}
            </Td>
            <Td className="text-xs">
              {r.consent.answer ? (
                <>
                  {r.consent.answer} <Time value={r.consent.answeredAt} />
                </>
              ) : r.consent.required ? (
                'not answered'
              ) : (
                'not required'
              )}
              {r.consent.hmiTextVersion ? (
                <div className="text-slate-500">
                  HMI {r.consent.locale} v{r.consent.hmiTextVersion.slice(0, 8)}
                </div>
              ) : null}
            </Td>
            <Td>
              <Badge tone={outcomeTone[r.outcome as keyof typeof outcomeTone] ?? 'slate'}>{r.outcome}</Badge>
              {r.errorCodes.length ? <div className="mt-1 font-mono text-xs text-red-700">{r.errorCodes.join(', ')}</div> : null}
            </Td>
            <Td className="text-xs">
              <Time value={r.endedAt} />
              {r.startedAt ? (
                <div className="text-slate-500">
                  started <Time value={r.startedAt} />
                </div>
              ) : null}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
