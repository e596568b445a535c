'use client';

import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useTRPC } from '@/app/_trpc/client';
import { Card, DataTable, PageHeader, QueryState, type Columns, type Empty } from '@/app/_components/ui';
import { useCanOperate } from '@/app/_components/use-can-operate';
import { ComposeForm } from './compose-form';
import { softwarePackageColumns, vehiclePackageColumns } from './package-columns';
import { UploadForm } from './upload-form';

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
        <PackageCard
          title="Software packages"
          query={software}
          loading="Loading software packages…"
          columns={softwarePackageColumns}
          empty={{ title: 'No software packages yet', body: canOperate ? 'Upload an ECU file above to start.' : 'An operator uploads ECU files here.' }}
        />
        <PackageCard
          title="Vehicle packages"
          query={vehicle}
          loading="Loading vehicle packages…"
          columns={vehiclePackageColumns}
          empty={{
            title: 'No vehicle packages yet',
            body: canOperate ? 'Compose one from software packages above; campaigns deliver vehicle packages.' : 'An operator composes them from software packages.',
          }}
        />
      </div>
    </>
  );
}

/** A card with one kind of package: "Software packages (3)" and its table. */
function PackageCard<Row extends { id: number }>({
  title,
  query,
  loading,
  columns,
  empty,
}: {
  title: string;
  query: UseQueryResult<Row[], { message: string }>;
  loading: string;
  columns: Columns<Row>;
  empty: Empty;
}) {
  return (
    <Card title={`${title}${query.data ? ` (${query.data.length})` : ''}`}>
      <QueryState query={query} loading={loading} empty={empty}>
        {(rows) => <DataTable hover={false} columns={columns} rows={rows} rowKey={(p) => p.id} />}
      </QueryState>
    </Card>
  );
}
