'use client';

import { useQuery } from '@tanstack/react-query';
import { Badge, Card, EmptyState, ErrorState, LoadingState, Table, Td, Th, Time } from '@/app/_components/ui';
import { useTRPC } from '@/app/_trpc/client';
import { formatBytes } from '../_components/format';

const statusText = { requested: 'Upload requested', uploaded: 'Uploaded, not confirmed', received: 'Received' } as const;
const statusTone = { requested: 'amber', uploaded: 'blue', received: 'green' } as const;

/** Log files the vehicle uploaded (C_37 → PUT → C_39), each downloadable. */
export function LogsCard({ vin }: { vin: string }) {
  const trpc = useTRPC();
  const logs = useQuery({ ...trpc.vehicles.logs.queryOptions({ vin }), refetchInterval: 5000 });
  return (
    <Card title="Logs">
      {logs.isPending ? (
        <LoadingState label="Loading logs…" />
      ) : logs.isError ? (
        <ErrorState error={logs.error} retry={() => logs.refetch()} />
      ) : logs.data.length === 0 ? (
        <EmptyState title="No log uploaded">The vehicle uploads logs on its own (C_37); they appear here as soon as it asks to.</EmptyState>
      ) : (
        <div className="-mx-4 -my-4">
          <Table>
            <thead className="bg-slate-50">
              <tr>
                <Th>File</Th>
                <Th>Type</Th>
                <Th>Size</Th>
                <Th>Status</Th>
                <Th>Requested</Th>
                <Th>Uploaded</Th>
                <Th>Confirmed</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {logs.data.map((l) => (
                <tr key={l.uploadId}>
                  <Td>
                    {l.downloadPath ? (
                      <a href={l.downloadPath} download={l.fileName} className="font-mono text-xs font-medium text-blue-700 hover:underline" title={`Download ${l.fileName}`}>
                        {l.fileName}
                      </a>
                    ) : (
                      <span className="font-mono text-xs text-slate-600" title="The file has not arrived yet">
                        {l.fileName}
                      </span>
                    )}
                  </Td>
                  <Td>{l.logType ?? <span className="text-slate-400">—</span>}</Td>
                  <Td className="tabular-nums" >
                    {l.size !== null ? formatBytes(l.size) : l.declaredSize !== null ? <span className="text-slate-500">{formatBytes(l.declaredSize)} declared</span> : '—'}
                  </Td>
                  <Td>
                    <Badge tone={statusTone[l.status]}>{statusText[l.status]}</Badge>
                    {l.status === 'requested' && l.expiresAt < new Date() ? <div className="mt-1 text-xs text-slate-500">upload URL expired</div> : null}
                  </Td>
                  <Td className="text-xs">
                    <Time value={l.createdAt} />
                  </Td>
                  <Td className="text-xs">
                    <Time value={l.uploadedAt} />
                  </Td>
                  <Td className="text-xs">
                    <Time value={l.receivedAt} />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      )}
    </Card>
  );
}
