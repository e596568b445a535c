import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * This process's metrics, one set however many copies of this module Next's bundles load
 * (they live on globalThis). Counters count what THIS instance served: scrape every instance.
 */
function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ota_' });
  const m = {
    registry,
    vehicleRequests: new Histogram({
      name: 'ota_vehicle_request_duration_seconds',
      help: 'Vehicle API requests (and /api/health, /metrics) by endpoint (the routing table path: C-code or name) and HTTP status; _count is the number of requests',
      labelNames: ['endpoint', 'status'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    eventsIngested: new Counter({
      name: 'ota_events_ingested_total',
      help: 'Vehicle events stored (committed; duplicates not counted) by C-code, "unclassified" for events no C-code describes',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: 'ota_webhook_delivery_attempts_total',
      help: 'Webhook POSTs this instance made, by outcome: delivered, retry (failed, will be tried again), failed (given up, or its endpoint disabled)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    campaigns: new Gauge({ name: 'ota_campaigns', help: 'Campaigns by status (read from the database at scrape time)', labelNames: ['status'] as const, registers: [registry] }),
    campaignVehicles: new Gauge({
      name: 'ota_campaign_vehicles',
      help: 'Vehicles of each deployed campaign by phase (from the wave counters, at scrape time)',
      labelNames: ['campaign_id', 'phase'] as const,
      registers: [registry],
    }),
    webhookBacklog: new Gauge({ name: 'ota_webhook_deliveries', help: 'Webhook deliveries in the outbox by status (at scrape time)', labelNames: ['status'] as const, registers: [registry] }),
    dbConnections: new Gauge({
      name: 'ota_db_connections',
      help: "This instance's PostgreSQL connections by state (pg_stat_activity; active = running a query, idle in transaction = reserved by a transaction); absent on the embedded database",
      labelNames: ['state'] as const,
      registers: [registry],
    }),
    dbPoolSize: new Gauge({ name: 'ota_db_pool_size', help: 'Connections this instance may open (DATABASE_POOL_SIZE; 1 for the embedded database)', registers: [registry] }),
    dbUp: new Gauge({ name: 'ota_database_up', help: '1 when the scrape could read the database, else 0', registers: [registry] }),
  };
  // Each outcome's series exists from the start (a rate over a series that appears later misses its first step).
  for (const outcome of ['delivered', 'retry', 'failed']) m.webhookDeliveries.inc({ outcome }, 0);
  return m;
}

const METRICS = Symbol.for('ota.metrics');
type MetricsGlobal = typeof globalThis & { [METRICS]?: ReturnType<typeof createMetrics> };

export function metrics() {
  const g = globalThis as MetricsGlobal;
  g[METRICS] ??= createMetrics();
  return g[METRICS];
}
