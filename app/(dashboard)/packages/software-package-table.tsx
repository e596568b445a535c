'use client';

import type { RouterOutputs } from '@/app/_trpc/client';
import { Badge, DataTable, Time, type Empty } from '@/app/_components/ui';
import { formatBytes } from '@/server/packages/format-bytes';

type SoftwarePackage = RouterOutputs['packages']['softwarePackages'][number];

export function Sha256({ value }: { value: string }) {
  return (
    <code title={value} className="cursor-help rounded bg-slate-50 px-1 font-mono text-xs text-slate-600">
      {value.slice(0, 12)}…
    </code>
  );
}

export function SoftwarePackageTable({ packages, empty }: { packages: SoftwarePackage[]; empty: Empty }) {
  return (
    <DataTable
      hover={false}
      rows={packages}
      rowKey={(p) => p.id}
      empty={empty}
      columns={[
        { header: 'Name', className: 'font-medium text-slate-900', cell: (p) => p.name },
        { header: 'Version', cell: (p) => p.version },
        { header: 'Target ECU', cell: (p) => <Badge>{p.targetEcu}</Badge> },
        { header: 'File', className: 'max-w-56 truncate font-mono text-xs', cell: (p) => <span title={p.fileName}>{p.fileName}</span> },
        { header: 'Size', headerClassName: 'text-right', className: 'whitespace-nowrap text-right tabular-nums', cell: (p) => formatBytes(p.length) },
        { header: 'SHA-256', cell: (p) => <Sha256 value={p.sha256} /> },
        { header: 'Created', cell: (p) => <Time value={p.createdAt} /> },
      ]}
    />
  );
}
