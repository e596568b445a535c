/** One line per detail: `role: support → operator` for a change, `email: a@b.c` for a value. */
export function summarizeDetails(details: unknown): string[] {
  if (details === null || details === undefined) return [];
  if (typeof details !== 'object' || Array.isArray(details)) return [show(details)];
  const record = details as Record<string, unknown>;
  // A change recorded as the details themselves: { from, to, ... }.
  if ('from' in record && 'to' in record) {
    const { from, to, ...rest } = record;
    return [`${show(from)} → ${show(to)}`, ...summarizeDetails(rest)];
  }
  // jsonb keeps keys shortest first; plain values (what it is) read better before changes (what happened).
  const entries = Object.entries(record).filter(([, v]) => v !== undefined);
  const plain = entries.filter(([, v]) => !isChange(v)).map(([key, value]) => `${key}: ${show(value)}`);
  const changes = entries.filter(([, v]) => isChange(v)).map(([key, value]) => {
    const change = value as { from: unknown; to: unknown };
    return `${key}: ${show(change.from)} → ${show(change.to)}`;
  });
  return [...plain, ...changes];
}

const isChange = (v: unknown): v is { from: unknown; to: unknown } =>
  !!v && typeof v === 'object' && !Array.isArray(v) && 'from' in v && 'to' in v && Object.keys(v).length === 2;

function show(value: unknown): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value.length > 80 ? `${value.slice(0, 77)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length > 5 ? `${value.slice(0, 5).map(show).join(', ')}, … (${value.length})` : value.map(show).join(', ');
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}…` : json;
}

/** Where an audited thing lives in the console, when it has a page. */
export function entityHref(type: string, id: string | null): string | null {
  if (!id) return null;
  switch (type) {
    case 'campaign':
    case 'campaigns':
      return /^\d+$/.test(id) ? `/campaigns/${id}` : null;
    case 'vehicle':
    case 'vehicles':
      return `/vehicles/${encodeURIComponent(id)}`;
    case 'action_default':
      return '/admin/actions';
    case 'user':
      return '/admin';
    default:
      return null;
  }
}
