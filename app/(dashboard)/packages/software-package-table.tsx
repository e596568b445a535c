'use client';

import type { RouterOutputs } from '@/app/_trpc/client';
import { Badge, Table, Td, Th, Time } from '@/app/_components/ui';
import { formatBytes } from '@/server/packages/format-bytes';

type SoftwarePackage = RouterOutputs['packages']['softwarePackages'][number];

export function Sha256({ value }: { value: string }) {
  return (
    <code title={value} className="cursor-help rounded bg-slate-50 px-1 font-mono text-xs text-slate-600">
      {value.slice(0, 12)}…
    </code>
  );
}

export function SoftwarePackageTable({ packages }: { packages: SoftwarePackage[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Version</Th>
          <Th>Target ECU</Th>
          <Th>File</Th>
          <Th className="text-right">Size</Th>
          <Th>SHA-256</Th>
          <Th>Created</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {packages.map((p) => (
          <tr key={p.id}>
            <Td className="font-medium text-slate-900">{p.name}</Td>
            <Td>{p.version}</Td>
            <Td>
              <Badge>{p.targetEcu}</Badge>
            </Td>
            <Td className="max-w-56 truncate font-mono text-xs" >
              <span title={p.fileName}>{p.fileName}</span>
            </Td>
            <Td className="whitespace-nowrap text-right tabular-nums">{formatBytes(p.length)}</Td>
            <Td>
              <Sha256 value={p.sha256} />
            </Td>
            <Td>
              <Time value={p.createdAt} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
