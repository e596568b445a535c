'use client';

import type { RouterOutputs } from '@/app/_trpc/client';
import { Badge, DataTable, Time, type Empty } from '@/app/_components/ui';
import { formatBytes } from '@/server/packages/format-bytes';

type VehiclePackage = RouterOutputs['packages']['vehiclePackages'][number];

export function VehiclePackageTable({ packages, empty }: { packages: VehiclePackage[]; empty: Empty }) {
  return (
    <DataTable
      hover={false}
      rows={packages}
      rowKey={(p) => p.id}
      empty={empty}
      columns={[
        { header: 'Name', className: 'font-medium text-slate-900', cell: (p) => p.name },
        { header: 'Version', cell: (p) => p.version },
        { header: 'Software packages (install order)', cell: (p) => <InstallOrder packages={p.softwarePackages} /> },
        {
          header: 'Total size',
          headerClassName: 'text-right',
          className: 'whitespace-nowrap text-right tabular-nums',
          cell: (p) => formatBytes(p.softwarePackages.reduce((sum, sp) => sum + sp.length, 0)),
        },
        { header: 'Campaigns', headerClassName: 'text-right', className: 'text-right tabular-nums', cell: (p) => p.campaignCount },
        { header: 'Created', cell: (p) => <Time value={p.createdAt} /> },
      ]}
    />
  );
}

function InstallOrder({ packages }: { packages: VehiclePackage['softwarePackages'] }) {
  return (
    <ol className="space-y-1">
      {packages.map((sp, i) => (
        <li key={sp.id} className="flex items-center gap-2">
          <span className="w-4 text-right text-xs text-slate-400">{i + 1}.</span>
          <Badge>ECU {sp.targetEcu}</Badge>
          <span>
            {sp.name} <span className="text-slate-500">{sp.version}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}
