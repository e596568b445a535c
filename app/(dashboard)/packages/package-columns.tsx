'use client';

import type { RouterOutputs } from '@/app/_trpc/client';
import { Badge, Time, type Columns } from '@/app/_components/ui';
import { formatBytes } from '@/server/packages/format-bytes';

type SoftwarePackage = RouterOutputs['packages']['softwarePackages'][number];
type VehiclePackage = RouterOutputs['packages']['vehiclePackages'][number];

const size = { headerClassName: 'text-right', className: 'whitespace-nowrap text-right tabular-nums' };
const created = { header: 'Created', cell: (p: { createdAt: Date }) => <Time value={p.createdAt} /> };

/** One file for one ECU. */
export const softwarePackageColumns: Columns<SoftwarePackage> = [
  { header: 'Name', className: 'font-medium text-slate-900', cell: (p) => p.name },
  { header: 'Version', cell: (p) => p.version },
  { header: 'Target ECU', cell: (p) => <Badge>{p.targetEcu}</Badge> },
  { header: 'File', className: 'max-w-56 truncate font-mono text-xs', cell: (p) => <span title={p.fileName}>{p.fileName}</span> },
  { header: 'Size', ...size, cell: (p) => formatBytes(p.length) },
  { header: 'SHA-256', cell: (p) => <Sha256 value={p.sha256} /> },
  created,
];

/** Software packages shipped together, in install order: what a campaign delivers. */
export const vehiclePackageColumns: Columns<VehiclePackage> = [
  { header: 'Name', className: 'font-medium text-slate-900', cell: (p) => p.name },
  { header: 'Version', cell: (p) => p.version },
  { header: 'Software packages (install order)', cell: (p) => <InstallOrder packages={p.softwarePackages} /> },
  { header: 'Total size', ...size, cell: (p) => formatBytes(p.softwarePackages.reduce((sum, sp) => sum + sp.length, 0)) },
  { header: 'Campaigns', headerClassName: 'text-right', className: 'text-right tabular-nums', cell: (p) => p.campaignCount },
  created,
];

function Sha256({ value }: { value: string }) {
  return (
    <code title={value} className="cursor-help rounded bg-slate-50 px-1 font-mono text-xs text-slate-600">
      {value.slice(0, 12)}…
    </code>
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
