/** Storage as vehicles report it (packageStorage, in MB); byte counts use formatBytes in server/packages/format-bytes.ts. */
export const formatMb = (mb: number | null | undefined) => (mb === null || mb === undefined ? '—' : `${Number.isInteger(mb) ? mb.toLocaleString() : mb.toFixed(1)} MB`);

/** The link to a vehicle's page. */
export const vehicleHref = (vin: string) => `/vehicles/${encodeURIComponent(vin)}`;
