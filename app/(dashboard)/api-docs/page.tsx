import { PageHeader } from '@/app/_components/ui';
import { buildOpenApiDocument } from '@/server/rest/openapi';
import { restOperations } from '@/server/rest/routes';
import { OperationView, type DocumentedOperation } from './operation-view';

export const metadata = { title: 'API reference' };

/** The REST management API's reference, rendered from the same OpenAPI document /api/v1/openapi.json serves. */
export default function ApiDocsPage() {
  const doc = buildOpenApiDocument(restOperations);
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, DocumentedOperation>).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  return (
    <>
      <PageHeader title="API reference" subtitle="The REST management API under /api/v1: packages, campaigns, vehicles, commands and the audit log" />
      <div className="mb-6 space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-700 shadow-sm">
        <p>
          Send an API token as <code className="rounded bg-slate-100 px-1">Authorization: Bearer ota_…</code>. An admin creates one under Admin → API tokens, or with{' '}
          <code className="rounded bg-slate-100 px-1">npm run token -- create --name NAME --role operator</code>; each operation needs the role shown, as in the dashboard.
        </p>
        <p>
          Lists take <code className="rounded bg-slate-100 px-1">?cursor=&amp;limit=</code> and answer <code className="rounded bg-slate-100 px-1">{'{ items, nextCursor }'}</code>. Every error is{' '}
          <code className="rounded bg-slate-100 px-1">{'{ error: { code, message, details } }'}</code>. The machine-readable document:{' '}
          <a href="/api/v1/openapi.json" className="text-blue-700 underline">
            /api/v1/openapi.json
          </a>{' '}
          (OpenAPI {doc.openapi}).
        </p>
      </div>
      <nav aria-label="Operation groups" className="mb-6 flex flex-wrap gap-2 text-sm">
        {doc.tags.map((t) => (
          <a key={t.name} href={`#${t.name}`} className="rounded-full bg-slate-100 px-3 py-1 font-medium text-slate-700 hover:bg-slate-200">
            {t.name}
          </a>
        ))}
      </nav>
      <div className="space-y-10">
        {doc.tags.map((t) => (
          <section key={t.name} id={t.name} aria-labelledby={`${t.name}-title`}>
            <h2 id={`${t.name}-title`} className="mb-3 text-lg font-semibold text-slate-900">
              {t.name}
            </h2>
            <div className="space-y-3">
              {operations
                .filter((o) => o.op.tags[0] === t.name)
                .map((o) => (
                  <OperationView key={`${o.method} ${o.path}`} method={o.method} path={o.path} op={o.op} />
                ))}
            </div>
          </section>
        ))}
      </div>
    </>
  );
}
