'use client';

import type { RouterOutputs } from '@/app/_trpc/client';
import { Badge, Table, Td, Th, Time } from '@/app/_components/ui';
import { formatBytes } from '@/server/packages/format-bytes';

type VehiclePackage = RouterOutputs['packages']['vehiclePackages'][number];

export function VehiclePackageTable({ packages }: { packages: VehiclePackage[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Version</Th>
          <Th>Software packages (install order)</Th>
          <Th className="text-right">Total size</Th>
          <Th className="text-right">Campaigns</Th>
          <Th>Created</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {packages.map((p) => (
          <tr key={p.id}>
            <Td className="font-medium text-slate-900">{p.name}</Td>
            <Td>{p.version}</Td>
            <Td>
              <ol className="space-y-1">
                {p.softwarePackages.map((sp, i) => (
                  <li key={sp.id} className="flex items-center gap-2">
                    <span className="w-4 text-right text-xs text-slate-400">{i + 1}.</span>
                    <Badge>ECU {sp.targetEcu}</Badge>
                    <span>
                      {sp.name} <span className="text-slate-500">{sp.version}</span>
                    </span>
                  </li>
                ))}
              </ol>
            </Td>
            <Td className="whitespace-nowrap text-right tabular-nums">{formatBytes(p.softwarePackages.reduce((sum, sp) => sum + sp.length, 0))}</Td>
            <Td className="text-right tabular-nums">{p.campaignCount}</Td>
            <Td>
              <Time value={p.createdAt} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
