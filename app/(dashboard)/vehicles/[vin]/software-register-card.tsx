'use client';

import { useQuery } from '@tanstack/react-query';
import { Card, EmptyState, ErrorState, LoadingState } from '@/app/_components/ui';
import { useTRPC } from '@/app/_trpc/client';
import { RegisterTable } from '../../compliance/register-table';

/** The vehicle's rows of the UN R156 software register, with its export. */
export function SoftwareRegisterCard({ vin }: { vin: string }) {
  const trpc = useTRPC();
  const rows = useQuery({ ...trpc.register.vehicle.queryOptions({ vin }), refetchInterval: 5000 });
  const exportClass = 'rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50';
  return (
    <Card
      title="Software register"
      actions={
        <a href={`/compliance?vin=${encodeURIComponent(vin)}`} className={exportClass}>
          Open in Compliance
        </a>
      }
    >
      {rows.isPending ? (
        <LoadingState label="Loading the register…" />
      ) : rows.isError ? (
        <ErrorState error={rows.error} retry={() => rows.refetch()} />
      ) : rows.data.length === 0 ? (
        <EmptyState title="No update attempt has ended yet">A row is written when an update attempt of this vehicle completes, fails or is declined.</EmptyState>
      ) : (
        <div className="-mx-4 -my-4">
          <RegisterTable rows={rows.data} showVin={false} />
        </div>
      )}
    </Card>
  );
}
