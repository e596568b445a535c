'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CampaignStatus } from '@/db/schema/campaigns';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';
import { ActionOutcome, Badge, Card, ConfirmButton, DataTable, QueryState, type Columns } from '@/app/_components/ui';
import { plural, retryMessage } from './operator-messages';

type Failure = RouterOutputs['campaigns']['failures'][number];
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

  const columns: Columns<Failure> = [
    {
      header: 'Code',
      cell: (f) => (
        <>
          <div className="font-mono text-sm text-slate-900">{f.code ?? '—'}</div>
          <div className="text-xs text-slate-500">{f.description}</div>
        </>
      ),
    },
    { header: 'Phase', cell: (f) => <Badge tone={f.phase === 'failed' ? 'red' : 'amber'}>{f.phase === 'failed' ? 'Failed' : 'Declined'}</Badge> },
    { header: 'Vehicles', headerClassName: 'text-right', className: 'text-right font-medium tabular-nums', cell: (f) => f.count },
    mayRetry && {
      header: '',
      cell: (f) =>
        f.code ? (
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
        ) : null,
    },
  ];

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
      <QueryState query={failures} empty={{ title: 'No failures', body: 'No vehicle has failed or declined this campaign.' }}>
        {(rows) => <DataTable hover={false} testId="failures" columns={columns} rows={rows} rowKey={(f) => `${f.code}-${f.phase}`} />}
      </QueryState>
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
  return <ActionOutcome error={retry.mutation.error} notice={retry.notice} />;
}
