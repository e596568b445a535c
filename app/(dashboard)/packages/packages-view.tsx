'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/app/_trpc/client';
import { Card, EmptyState, ErrorState, LoadingState, PageHeader } from '@/app/_components/ui';
import { useCanOperate } from '@/app/_components/use-can-operate';
import { ComposeForm } from './compose-form';
import { SoftwarePackageTable } from './software-package-table';
import { UploadForm } from './upload-form';
import { VehiclePackageTable } from './vehicle-package-table';

export function PackagesView() {
  const trpc = useTRPC();
  const { canOperate } = useCanOperate();
  const software = useQuery(trpc.packages.softwarePackages.queryOptions());
  const vehicle = useQuery(trpc.packages.vehiclePackages.queryOptions());

  return (
    <>
      <PageHeader title="Packages" subtitle="Software packages are files for one ECU; a vehicle package ships several of them together and is what a campaign delivers." />
      {canOperate ? (
        <div className="mb-6 grid gap-6 lg:grid-cols-2">
          <UploadForm />
          <ComposeForm softwarePackages={software.data ?? []} />
        </div>
      ) : null}

      <div className="space-y-6">
        <Card title={`Software packages${software.data ? ` (${software.data.length})` : ''}`}>
          {software.isPending ? (
            <LoadingState label="Loading software packages…" />
          ) : software.isError ? (
            <ErrorState error={software.error} retry={() => software.refetch()} />
          ) : software.data.length === 0 ? (
            <EmptyState title="No software packages yet">{canOperate ? 'Upload an ECU file above to start.' : 'An operator uploads ECU files here.'}</EmptyState>
          ) : (
            <SoftwarePackageTable packages={software.data} />
          )}
        </Card>

        <Card title={`Vehicle packages${vehicle.data ? ` (${vehicle.data.length})` : ''}`}>
          {vehicle.isPending ? (
            <LoadingState label="Loading vehicle packages…" />
          ) : vehicle.isError ? (
            <ErrorState error={vehicle.error} retry={() => vehicle.refetch()} />
          ) : vehicle.data.length === 0 ? (
            <EmptyState title="No vehicle packages yet">{canOperate ? 'Compose one from software packages above; campaigns deliver vehicle packages.' : 'An operator composes them from software packages.'}</EmptyState>
          ) : (
            <VehiclePackageTable packages={vehicle.data} />
          )}
        </Card>
      </div>
    </>
  );
}
