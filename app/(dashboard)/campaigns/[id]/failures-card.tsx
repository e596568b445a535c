'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CampaignStatus } from '@/db/schema/campaigns';
import { useTRPC } from '@/app/_trpc/client';
import { Badge, Card, ConfirmButton, EmptyState, ErrorState, LoadingState, Table, Td, Th } from '@/app/_components/ui';
import { plural, retryMessage } from './operator-messages';

type Props = { campaignId: number; status: CampaignStatus; canOperate: boolean; live: number };

/** Failed and declined vehicles by error code; an operator retries all of them, or those of one code. */
export function FailuresCard({ campaignId, status, canOperate, live }: Props) {
  const trpc = useTRPC();
  const failures = useQuery({ ...trpc.campaigns.failures.queryOptions({ id: campaignId }), refetchInterval: live });
  const retry = useRetry(campaignId);
  const mayRetry = canOperate && (status === 'Deployed' || status === 'Suspended');
  const suspended = status === 'Suspended';
  const total = failures.data?.reduce((sum, f) => sum + f.count, 0) ?? 0;
  const byCode = (code: string) => failures.data?.filter((f) => f.code === code).reduce((sum, f) => sum + f.count, 0) ?? 0;

  return (
    <Card
      title="Failures by error code"
      actions={
        mayRetry && total ? (
          <ConfirmButton
            label={`Retry all (${total})`}
            title="Retry every failed and declined vehicle?"
            message={retryMessage({ count: total, code: null, suspended })}
            size="sm"
            pending={retry.mutation.isPending && retry.mutation.variables?.errorCode === null}
            disabled={retry.mutation.isPending}
            onConfirm={() => retry.run(null)}
          />
        ) : null
      }
    >
      <RetryOutcome retry={retry} />
      {failures.isPending ? (
        <LoadingState />
      ) : failures.isError ? (
        <ErrorState error={failures.error} retry={() => failures.refetch()} />
      ) : failures.data.length === 0 ? (
        <EmptyState title="No failures">No vehicle has failed or declined this campaign.</EmptyState>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>Code</Th>
              <Th>Phase</Th>
              <Th className="text-right">Vehicles</Th>
              {mayRetry ? <Th /> : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="failures">
            {failures.data.map((f) => (
              <tr key={`${f.code}-${f.phase}`}>
                <Td>
                  <div className="font-mono text-sm text-slate-900">{f.code ?? '—'}</div>
                  <div className="text-xs text-slate-500">{f.description}</div>
                </Td>
                <Td>
                  <Badge tone={f.phase === 'failed' ? 'red' : 'amber'}>{f.phase === 'failed' ? 'Failed' : 'Declined'}</Badge>
                </Td>
                <Td className="text-right font-medium tabular-nums">{f.count}</Td>
                {mayRetry ? (
                  <Td>
                    {f.code ? (
                      <div className="flex justify-end">
                        <ConfirmButton
                          label="Retry"
                          title={`Retry the vehicles with code ${f.code}?`}
                          message={retryMessage({ count: byCode(f.code), code: f.code, suspended })}
                          confirmLabel={`Retry ${plural(byCode(f.code), 'vehicle')}`}
                          size="sm"
                          pending={retry.mutation.isPending && retry.mutation.variables?.errorCode === f.code}
                          disabled={retry.mutation.isPending}
                          onConfirm={() => retry.run(f.code)}
                        />
                      </div>
                    ) : null}
                  </Td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}

/** The retry mutation of a campaign with the outcome said in words. */
export function useRetry(campaignId: number) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const mutation = useMutation(
    trpc.campaigns.retryVehicles.mutationOptions({
      onSuccess: (r) => {
        const waiting = r.waitingForWave ? `; ${plural(r.waitingForWave, 'vehicle')} wait for their wave` : '';
        setNotice(r.retried ? `${plural(r.retried, 'vehicle')} retried: ${plural(r.queuedCommands, 'StartCampaign command')} queued${waiting}.` : 'No vehicle to retry: none stands failed or declined with that code any more.');
        void queryClient.invalidateQueries(trpc.campaigns.pathFilter());
      },
    }),
  );
  return {
    mutation,
    notice,
    run: (errorCode: string | null) => {
      setNotice(null);
      mutation.mutate({ id: campaignId, errorCode });
    },
  };
}

export function RetryOutcome({ retry }: { retry: ReturnType<typeof useRetry> }) {
  if (retry.mutation.error) {
    return (
      <div className="mb-3">
        <ErrorState error={retry.mutation.error} />
      </div>
    );
  }
  if (!retry.notice) return null;
  return (
    <p role="status" className="mb-3 text-sm text-emerald-700">
      {retry.notice}
    </p>
  );
}
