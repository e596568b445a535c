'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/app/_trpc/client';
import { Card, PageHeader, QueryState } from '@/app/_components/ui';
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
          <QueryState query={software} loading="Loading software packages…">
            {(packages) => (
              <SoftwarePackageTable
                packages={packages}
                empty={{ title: 'No software packages yet', body: canOperate ? 'Upload an ECU file above to start.' : 'An operator uploads ECU files here.' }}
              />
            )}
          </QueryState>
        </Card>

        <Card title={`Vehicle packages${vehicle.data ? ` (${vehicle.data.length})` : ''}`}>
          <QueryState query={vehicle} loading="Loading vehicle packages…">
            {(packages) => (
              <VehiclePackageTable
                packages={packages}
                empty={{
                  title: 'No vehicle packages yet',
                  body: canOperate ? 'Compose one from software packages above; campaigns deliver vehicle packages.' : 'An operator composes them from software packages.',
                }}
              />
            )}
          </QueryState>
        </Card>
      </div>
    </>
  );
}
