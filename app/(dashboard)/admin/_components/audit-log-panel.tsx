'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useTRPC, type RouterOutputs } from '../../../_trpc/client';
import { Button, Card, DataTable, QueryState, Time, type Columns } from '@/app/_components/ui';
import { entityHref, summarizeDetails } from './audit-details';

type Entry = RouterOutputs['audit']['list']['entries'][number];

const PAGE_SIZE = 25;

/** Newest first; "Older" follows the server's cursor, "Newer" walks back the cursors already seen. */
export function AuditLogPanel() {
  const trpc = useTRPC();
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const before = cursors.at(-1);
  const page = useQuery({ ...trpc.audit.list.queryOptions({ limit: PAGE_SIZE, before }), placeholderData: keepPreviousData });
  const pageNumber = cursors.length;

  return (
    <Card
      title="Audit log"
      actions={
        <div className="flex items-center gap-2">
          <span className="text-xs text-slate-500">Page {pageNumber}</span>
          <Button size="sm" disabled={pageNumber === 1 || page.isFetching} onClick={() => setCursors(cursors.slice(0, -1))}>
            Newer
          </Button>
          <Button size="sm" disabled={!page.data?.nextBefore || page.isFetching} onClick={() => setCursors([...cursors, page.data!.nextBefore!])}>
            Older
          </Button>
          {pageNumber > 1 ? (
            <Button size="sm" variant="ghost" onClick={() => setCursors([undefined])}>
              Latest
            </Button>
          ) : (
            <Button size="sm" variant="ghost" disabled={page.isFetching} onClick={() => page.refetch()}>
              Refresh
            </Button>
          )}
        </div>
      }
    >
      <QueryState query={page} loading="Loading the audit log…">
        {(data) => (
          <DataTable
            hover={false}
            dimmed={page.isPlaceholderData}
            columns={columns}
            rows={data.entries}
            rowKey={(e) => e.id}
            empty={
              pageNumber === 1
                ? { title: 'Nothing audited yet', body: 'Every change made in the console — users, campaigns, packages, commands, settings — is listed here with who made it and when.' }
                : { title: 'No older entries', body: 'You have reached the oldest entry.' }
            }
          />
        )}
      </QueryState>
    </Card>
  );
}

const columns: Columns<Entry> = [
  { header: 'When', className: 'text-xs', cell: (e) => <Time value={e.at} /> },
  { header: 'Who', className: 'text-xs', cell: (e) => e.actorEmail },
  { header: 'Action', cell: (e) => <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{e.action}</span> },
  { header: 'Entity', className: 'whitespace-nowrap', cell: (e) => <Entity entry={e} /> },
  { header: 'Details', className: 'max-w-md', cell: (e) => <Details entry={e} /> },
];

function Entity({ entry }: { entry: Entry }) {
  const href = entityHref(entry.entityType, entry.entityId);
  const entity = (
    <>
      <span className="text-slate-500">{entry.entityType.replace(/_/g, ' ')}</span>
      {entry.entityId ? <span className="ml-1 font-mono text-xs">{entry.entityId}</span> : null}
    </>
  );
  return href ? (
    <Link href={href} className="text-blue-700 hover:underline">
      {entity}
    </Link>
  ) : (
    entity
  );
}

function Details({ entry }: { entry: Entry }) {
  const lines = summarizeDetails(entry.details);
  return (
    <>
        {lines.length ? (
          <ul className="space-y-0.5 text-xs">
            {lines.map((line, i) => (
              <li key={i} className="break-words">
                {line}
              </li>
            ))}
          </ul>
        ) : (
          <span className="text-xs text-slate-400">No details</span>
        )}
        <details className="mt-1 text-xs">
          <summary className="cursor-pointer text-slate-500 hover:text-slate-700">Raw</summary>
          <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-50 p-2 font-mono text-[11px] text-slate-700">{JSON.stringify(entry.details, null, 2)}</pre>
        </details>
    </>
  );
}
