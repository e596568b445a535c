'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { Time, type Column } from '@/app/_components/ui';
import { vehicleHref } from './format';
import { RmStateBadge } from './status-badges';

type VehicleRow = { vin: string; model: string | null; region: string | null; rmState: string | null; lastSeenAt: Date | null };

const dash = <span className="text-slate-400">—</span>;

/** The columns every list of vehicles starts with (the fleet list, the VIN lookup); `showVin` may mark part of the VIN. */
export function vehicleColumns<Row extends VehicleRow>(showVin: (vin: string) => ReactNode = (vin) => vin): Column<Row>[] {
  return [
    {
      header: 'VIN',
      cell: (v) => (
        <Link href={vehicleHref(v.vin)} className="font-mono font-medium text-blue-700 hover:underline">
          {showVin(v.vin)}
        </Link>
      ),
    },
    { header: 'Model', cell: (v) => v.model ?? dash },
    { header: 'Region', cell: (v) => v.region ?? dash },
    { header: 'State', cell: (v) => <RmStateBadge state={v.rmState} /> },
    { header: 'Last seen', cell: (v) => (v.lastSeenAt ? <Time value={v.lastSeenAt} relative /> : <span className="text-slate-400">never</span>) },
  ];
}
