'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { Card, QueryState, Table, Td, Th, Time } from '@/app/_components/ui';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';
import { RawJson } from '../_components/raw-json';

type Snapshot = RouterOutputs['vehicles']['snapshots']['snapshots'][number];

/** Each configuration upload (C_05) and what changed since the one before, in words; the raw upload on demand. */
export function SnapshotsCard({ vin }: { vin: string }) {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.vehicles.snapshots.queryOptions({ vin }), refetchInterval: 5000 });
  return (
    <Card
      title="Configuration snapshots"
      actions={list.data && list.data.total > list.data.snapshots.length ? <span className="text-xs text-slate-500">latest {list.data.snapshots.length} of {list.data.total}</span> : null}
    >
      <QueryState
        query={list}
        loading="Loading configuration uploads…"
        isEmpty={(data) => data.snapshots.length === 0}
        empty={{ title: 'No configuration uploaded yet', body: 'The vehicle uploads its configuration (ECU versions, RXSWIN, storage) with C_05 before each update.' }}
      >
        {(data) => (
          <div className="-mx-4 -my-4">
            <Table>
              <thead className="bg-slate-50">
                <tr>
                  <Th>Received</Th>
                  <Th>Reason</Th>
                  <Th>Digest</Th>
                  <Th>Selected campaign</Th>
                  <Th className="w-1/2">Changes since the previous upload</Th>
                  <Th />
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.snapshots.map((s) => (
                  <SnapshotRow key={s.id} vin={vin} snapshot={s} />
                ))}
              </tbody>
            </Table>
          </div>
        )}
      </QueryState>
    </Card>
  );
}

function SnapshotRow({ vin, snapshot: s }: { vin: string; snapshot: Snapshot }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr>
        <Td className="text-xs">
          <Time value={s.receivedAt} />
        </Td>
        <Td>{s.uploadReason ?? <span className="text-slate-400">—</span>}</Td>
        <Td>
          {s.clientDigest ? (
            <span className="font-mono text-xs" title={s.clientDigest}>
              {s.clientDigest.length > 12 ? `${s.clientDigest.slice(0, 12)}…` : s.clientDigest}
            </span>
          ) : (
            <span className="text-slate-400">—</span>
          )}
        </Td>
        <Td>
          {s.selectedCampaignId ? (
            <Link href={`/campaigns/${s.selectedCampaignId}`} className="text-blue-700 hover:underline">
              Campaign {s.selectedCampaignId}
            </Link>
          ) : (
            <span className="text-slate-400">none</span>
          )}
        </Td>
        <Td>
          {s.changes === null ? (
            <span className="text-slate-500">First upload on record</span>
          ) : s.changes.length === 0 ? (
            <span className="text-slate-400">No change</span>
          ) : (
            <ul className="space-y-0.5">
              {s.changes.map((c) => (
                <li key={c.field}>
                  <span className="font-medium text-slate-700">{c.field}</span>: <span className="text-slate-500 line-through decoration-slate-300">{c.before ?? 'none'}</span> →{' '}
                  <span className="font-medium text-slate-900">{c.after ?? 'none'}</span>
                </li>
              ))}
            </ul>
          )}
        </Td>
        <Td className="text-right">
          <button type="button" aria-expanded={open} className="whitespace-nowrap text-xs font-medium text-blue-700 hover:underline" onClick={() => setOpen((v) => !v)}>
            {open ? 'Hide JSON' : 'Raw JSON'}
          </button>
        </Td>
      </tr>
      {open ? (
        <tr>
          <Td colSpan={6}>
            <RawSnapshot vin={vin} id={s.id} />
          </Td>
        </tr>
      ) : null}
    </>
  );
}

function RawSnapshot({ vin, id }: { vin: string; id: number }) {
  const trpc = useTRPC();
  const raw = useQuery(trpc.vehicles.snapshotRaw.queryOptions({ vin, id }, { staleTime: Infinity }));
  return (
    <QueryState query={raw} loading="Loading the upload…">
      {(data) => <RawJson value={data.raw} label={`Raw configuration upload ${id}`} />}
    </QueryState>
  );
}
