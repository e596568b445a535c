import type { ReactNode } from 'react';

/** A JSON Schema as z.toJSONSchema writes it (the parts this page shows). */
export type JsonSchema = {
  type?: string | string[];
  format?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  additionalProperties?: JsonSchema | boolean;
  $ref?: string;
};

type Parameter = { name: string; in: string; required: boolean; description?: string; schema: JsonSchema };
type Content = Record<string, { schema: JsonSchema }>;
export type DocumentedOperation = {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  'x-role': string | null;
  parameters: Parameter[];
  requestBody?: { content: Content };
  responses: Record<string, { description?: string; content?: Content; $ref?: string }>;
};

const methodTone: Record<string, string> = {
  GET: 'bg-sky-100 text-sky-800',
  POST: 'bg-emerald-100 text-emerald-800',
  PUT: 'bg-amber-100 text-amber-800',
  DELETE: 'bg-red-100 text-red-800',
};

/** `string (date-time)`, `integer`, `"a" | "b"`, `array of object`, `string | null`. */
function typeLabel(s: JsonSchema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map(typeLabel).join(' | ');
  if (s.$ref) return s.$ref.split('/').at(-1)!;
  const type = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
  if (type === 'array') return `array of ${s.items ? typeLabel(s.items) : 'any'}`;
  if (type === 'object' && !s.properties && s.additionalProperties && typeof s.additionalProperties === 'object') return `map of ${typeLabel(s.additionalProperties)}`;
  return s.format ? `${type} (${s.format})` : type;
}

function constraints(s: JsonSchema): string[] {
  const out: string[] = [];
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  if (s.minimum !== undefined && s.minimum > -Number.MAX_SAFE_INTEGER) out.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) out.push(`≤ ${s.maximum}`);
  if (s.minLength) out.push(`at least ${s.minLength} characters`);
  if (s.maxLength !== undefined) out.push(`at most ${s.maxLength} characters`);
  if (s.minItems) out.push(`at least ${s.minItems} items`);
  if (s.maxItems !== undefined) out.push(`at most ${s.maxItems} items`);
  if (s.pattern) out.push(`matches ${s.pattern}`);
  return out;
}

/** The object whose fields are worth listing under a property: itself, its items', or one alternative's. */
function nested(s: JsonSchema): JsonSchema | null {
  if (s.properties) return s;
  if (s.items) return nested(s.items);
  for (const alternative of s.anyOf ?? s.oneOf ?? []) {
    const found = nested(alternative);
    if (found) return found;
  }
  return null;
}

/** A schema as a nested list of its fields: name, type, required, constraints, description. */
export function SchemaView({ schema, depth = 0 }: { schema: JsonSchema; depth?: number }) {
  const object = nested(schema);
  if (!object) return <p className="font-mono text-xs text-slate-700">{typeLabel(schema)}</p>;
  const required = new Set(object.required ?? []);
  return (
    <ul className={depth ? 'mt-1 space-y-1 border-l border-slate-200 pl-3' : 'space-y-1'}>
      {typeLabel(schema) !== 'object' && depth === 0 ? <li className="font-mono text-xs text-slate-500">{typeLabel(schema)}</li> : null}
      {Object.entries(object.properties ?? {}).map(([name, property]) => (
        <li key={name} className="text-xs">
          <span className="font-mono font-medium text-slate-900">{name}</span>
          <span className="ml-2 font-mono text-slate-600">{typeLabel(property)}</span>
          {required.has(name) ? <span className="ml-2 text-red-700">required</span> : null}
          {constraints(property).length ? <span className="ml-2 text-slate-500">{constraints(property).join(', ')}</span> : null}
          {property.description ? <span className="ml-2 text-slate-600">— {property.description}</span> : null}
          {nested(property) && depth < 6 ? <SchemaView schema={property} depth={depth + 1} /> : null}
        </li>
      ))}
    </ul>
  );
}

function Block({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div>
      <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h4>
      {children}
    </div>
  );
}

/** One operation: method and path, role, summary; its parameters, body and answers behind a disclosure. */
export function OperationView({ method, path, op }: { method: string; path: string; op: DocumentedOperation }) {
  const role = op['x-role'];
  const [success, ...errors] = Object.entries(op.responses);
  return (
    <details id={op.operationId} className="group rounded-lg border border-slate-200 bg-white shadow-sm">
      <summary className="flex cursor-pointer flex-wrap items-center gap-3 px-4 py-3">
        <span className={`w-16 rounded px-2 py-0.5 text-center font-mono text-xs font-semibold ${methodTone[method] ?? 'bg-slate-100'}`}>{method}</span>
        <code className="font-mono text-sm text-slate-900">{path}</code>
        <span className="text-sm text-slate-600">{op.summary}</span>
        <span className={`ml-auto rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${role ? 'bg-violet-50 text-violet-800 ring-violet-200' : 'bg-slate-50 text-slate-600 ring-slate-200'}`}>
          {role ? `role: ${role}` : 'public'}
        </span>
      </summary>
      <div className="space-y-4 border-t border-slate-100 px-4 py-3">
        {op.description ? <p className="whitespace-pre-line text-sm text-slate-700">{op.description.replaceAll('**', '')}</p> : null}
        {op.parameters.length ? (
          <Block title="Parameters">
            <ul className="space-y-1">
              {op.parameters.map((p) => (
                <li key={`${p.in}.${p.name}`} className="text-xs">
                  <span className="font-mono font-medium text-slate-900">{p.name}</span>
                  <span className="ml-2 rounded bg-slate-100 px-1 text-slate-600">{p.in}</span>
                  <span className="ml-2 font-mono text-slate-600">{typeLabel(p.schema)}</span>
                  {p.required ? <span className="ml-2 text-red-700">required</span> : null}
                  {constraints(p.schema).length ? <span className="ml-2 text-slate-500">{constraints(p.schema).join(', ')}</span> : null}
                  {p.description ? <span className="ml-2 text-slate-600">— {p.description}</span> : null}
                </li>
              ))}
            </ul>
          </Block>
        ) : null}
        {op.requestBody
          ? Object.entries(op.requestBody.content).map(([type, { schema }]) => (
              <Block key={type} title={`Request body (${type})`}>
                <SchemaView schema={schema} />
              </Block>
            ))
          : null}
        {success ? (
          <Block title={`Answer ${success[0]}`}>
            {Object.entries(success[1].content ?? {}).map(([type, { schema }]) => (
              <div key={type}>
                <p className="mb-1 text-xs text-slate-500">{type}</p>
                <SchemaView schema={schema} />
              </div>
            ))}
          </Block>
        ) : null}
        <Block title="Errors">
          <p className="text-xs text-slate-600">
            {errors.map(([status]) => status).join(', ')} — each as <code>{'{ error: { code, message, details } }'}</code>
          </p>
        </Block>
      </div>
    </details>
  );
}
