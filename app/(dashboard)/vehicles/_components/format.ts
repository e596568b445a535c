/** 1536 → "1.5 KB": sizes people read at a glance. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export const formatMb = (mb: number | null | undefined) => (mb === null || mb === undefined ? '—' : `${Number.isInteger(mb) ? mb.toLocaleString() : mb.toFixed(1)} MB`);

/** The link to a vehicle's page. */
export const vehicleHref = (vin: string) => `/vehicles/${encodeURIComponent(vin)}`;
