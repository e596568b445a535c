'use client';

import { useQuery } from '@tanstack/react-query';
import { Badge, Card, DataTable, QueryState, Time, type Columns } from '@/app/_components/ui';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';
import { formatBytes } from '@/server/packages/format-bytes';

const statusText = { requested: 'Upload requested', uploaded: 'Uploaded, not confirmed', received: 'Received' } as const;
const statusTone = { requested: 'amber', uploaded: 'blue', received: 'green' } as const;

type Log = RouterOutputs['vehicles']['logs'][number];

const columns: Columns<Log> = [
  {
    header: 'File',
    cell: (l) =>
      l.downloadPath ? (
        <a href={l.downloadPath} download={l.fileName} className="font-mono text-xs font-medium text-blue-700 hover:underline" title={`Download ${l.fileName}`}>
          {l.fileName}
        </a>
      ) : (
        <span className="font-mono text-xs text-slate-600" title="The file has not arrived yet">
          {l.fileName}
        </span>
      ),
  },
  { header: 'Type', cell: (l) => l.logType ?? <span className="text-slate-400">—</span> },
  {
    header: 'Size',
    className: 'tabular-nums',
    cell: (l) => (l.size !== null ? formatBytes(l.size) : l.declaredSize !== null ? <span className="text-slate-500">{formatBytes(l.declaredSize)} declared</span> : '—'),
  },
  {
    header: 'Status',
    cell: (l) => (
      <>
        <Badge tone={statusTone[l.status]}>{statusText[l.status]}</Badge>
        {l.status === 'requested' && l.expiresAt < new Date() ? <div className="mt-1 text-xs text-slate-500">upload URL expired</div> : null}
      </>
    ),
  },
  { header: 'Requested', className: 'text-xs', cell: (l) => <Time value={l.createdAt} /> },
  { header: 'Uploaded', className: 'text-xs', cell: (l) => <Time value={l.uploadedAt} /> },
  { header: 'Confirmed', className: 'text-xs', cell: (l) => <Time value={l.receivedAt} /> },
];

/** Log files the vehicle uploaded (C_37 → PUT → C_39), each downloadable. */
export function LogsCard({ vin }: { vin: string }) {
  const trpc = useTRPC();
  const logs = useQuery({ ...trpc.vehicles.logs.queryOptions({ vin }), refetchInterval: 5000 });
  return (
    <Card title="Logs">
      <QueryState
        query={logs}
        loading="Loading logs…"
        empty={{ title: 'No log uploaded', body: 'The vehicle uploads logs on its own (C_37); they appear here as soon as it asks to.' }}
      >
        {(data) => <DataTable bleed="-mx-4 -my-4" hover={false} columns={columns} rows={data} rowKey={(l) => l.uploadId} />}
      </QueryState>
    </Card>
  );
}
