'use client';

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Card, ErrorState, LoadingState, Table, Td, Th } from '@/app/_components/ui';
import { useTRPC } from '@/app/_trpc/client';

const exportClass = 'rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50';

/** UN R156 §7.1.2: the campaign's report for the type-approval file, with the register rows behind it as CSV or JSON. */
export function TypeApprovalReport({ campaignId, onShowConfigDiffers }: { campaignId: number; onShowConfigDiffers: () => void }) {
  const trpc = useTRPC();
  const report = useQuery({ ...trpc.register.campaignReport.queryOptions({ id: campaignId }), refetchInterval: 10_000 });
  return (
    <Card
      title="Type-approval report (UN R156)"
      actions={
        <div className="flex gap-2">
          <a href={`/api/register/export?format=csv&campaignId=${campaignId}`} download className={exportClass}>
            Register CSV
          </a>
          <a href={`/api/register/export?format=json&campaignId=${campaignId}`} download className={exportClass}>
            Register JSON
          </a>
        </div>
      }
    >
      {report.isPending ? (
        <LoadingState label="Loading the report…" />
      ) : report.isError ? (
        <ErrorState error={report.error} retry={() => report.refetch()} />
      ) : (
        <div className="grid gap-6 text-sm lg:grid-cols-2" data-testid="type-approval-report">
          <Section title="Package">
            {report.data.vehiclePackage.name} {report.data.vehiclePackage.version}
            <div className="font-mono text-xs text-slate-500">sha256 {report.data.vehiclePackage.sha256}</div>
            <div className="text-xs text-slate-600">RXSWIN after the update: {report.data.vehiclePackage.rxswin ?? 'unchanged'}</div>
          </Section>
          <Section title={`Targets (${report.data.targets.total})`}>
            {report.data.targets.byPhase.map((p) => `${p.phase} ${p.count}`).join(' · ') || 'none'}
          </Section>
          <Section title="Compatibility blocks">
            {report.data.blocked.length ? (
              <ul className="list-disc pl-5">
                {report.data.blocked.map((b) => (
                  <li key={b.reason}>
                    {b.count} × {b.reason}
                  </li>
                ))}
              </ul>
            ) : (
              'No vehicle is blocked by the preconditions.'
            )}
          </Section>
          <Section title="Consent">
            {report.data.requiresConsent ? 'Required. ' : 'Not required. '}
            Accepted {report.data.consent.accepted} · rejected {report.data.consent.rejected} · not answered {report.data.consent.unanswered}
            {report.data.consent.hmiTextVersions.map((v) => (
              <div key={`${v.locale}-${v.version}`} className="text-xs text-slate-600">
                HMI text {v.locale ?? '?'} v{v.version.slice(0, 8)}: {v.count} attempt(s)
              </div>
            ))}
          </Section>
          <Section title={`Outcomes (${report.data.registerRows} register rows)`}>
            {report.data.outcomes.map((o) => `${o.outcome} ${o.count}`).join(' · ') || 'No attempt has ended yet.'}
            <div className="mt-1">
              {report.data.configDiffers ? (
                <button type="button" className="text-sm font-medium text-red-700 hover:underline" onClick={onShowConfigDiffers}>
                  {report.data.configDiffers} vehicle(s): configuration differs from expected
                </button>
              ) : (
                <span className="text-xs text-slate-500">No vehicle’s configuration differs from what the update should have left.</span>
              )}
            </div>
          </Section>
          <Section title="Software before → after">
            {report.data.transitions.length ? (
              <div className="-mx-2">
                <Table>
                  <thead>
                    <tr>
                      <Th>ECU</Th>
                      <Th>Before → after</Th>
                      <Th>Outcome</Th>
                      <Th className="text-right">Attempts</Th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {report.data.transitions.map((t) => (
                      <tr key={`${t.ecuId}-${t.before}-${t.after}-${t.outcome}`}>
                        <Td className="font-mono">{t.ecuId}</Td>
                        <Td className="font-mono">
                          {t.before ?? '?'} → {t.after ?? '?'}
                        </Td>
                        <Td>{t.outcome}</Td>
                        <Td className="text-right tabular-nums">{t.count}</Td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
              </div>
            ) : (
              'No attempt has ended yet.'
            )}
            {report.data.rxswin.map((r) => (
              <div key={`${r.before}|${r.after}`} className="mt-1 text-xs text-slate-600">
                RXSWIN {r.before || '—'} → {r.after || '—'}: {r.count}
              </div>
            ))}
          </Section>
        </div>
      )}
    </Card>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      <div className="text-slate-800">{children}</div>
    </section>
  );
}
