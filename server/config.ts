import { isIP } from 'node:net';
import { z } from 'zod';

/** `10.0.0.5`, `::1`, `10.0.0.0/8`, `fd00::/8`. */
function isAddressOrCidr(text: string): boolean {
  const [address = '', bits, ...rest] = text.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

const envSchema = z.object({
  DATABASE_URL: z.string().url('DATABASE_URL must be a postgres:// URL').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Port of the process's HTTP server (`npm start`, `npm run serve:vehicle-api`). */
  PORT: z.coerce.number().int().min(1).max(65535, 'PORT must be a port number (1-65535)').default(3000),
  /** Interface the HTTP server binds to. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** postgres.js connections per instance. */
  DATABASE_POOL_SIZE: z.coerce.number().int('DATABASE_POOL_SIZE must be a whole number').min(1, 'DATABASE_POOL_SIZE must be at least 1').max(1000).default(10),
  /** Secret for signed download and upload URLs; shared by every instance on one database. */
  URL_SIGNING_SECRET: z.string().min(32, 'URL_SIGNING_SECRET must be at least 32 characters').optional(),
  /** ed25519 private key (PKCS#8 PEM or base64 DER) that signs answers to vehicles. */
  SERVER_SIGNING_KEY: z.string().min(40, 'SERVER_SIGNING_KEY must be an ed25519 private key in PKCS#8 PEM or base64 DER').optional(),
  /** Origin put into signed URLs; the request's own origin when unset. */
  PUBLIC_URL: z.string().url('PUBLIC_URL must be an absolute URL such as https://ota.example.com').optional(),
  DOWNLOAD_URL_TTL_SECONDS: z.coerce.number().int().positive().default(86_400),
  UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().positive().default(3_600),
  LOG_UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(100 * 1024 * 1024),
  PACKAGE_UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(2 * 1024 * 1024 * 1024),
  /** Secret of the dashboard's session tokens (next-auth). */
  NEXTAUTH_SECRET: z.string().min(32, 'NEXTAUTH_SECRET must be at least 32 characters').optional(),
  /** The dashboard's public URL, for next-auth's redirects behind a proxy; the request's origin when unset. */
  NEXTAUTH_URL: z.string().url('NEXTAUTH_URL must be an absolute URL such as https://ota.example.com').optional(),
  /** The first admin of a PostgreSQL deployment (created once, when there are no users). */
  ADMIN_EMAIL: z.string().email('ADMIN_EMAIL must be an e-mail address').optional(),
  ADMIN_PASSWORD: z.string().min(10, 'ADMIN_PASSWORD must be at least 10 characters').optional(),
  /** Register unknown VINs on first contact instead of answering UNKNOWN_VEHICLE. */
  AUTO_REGISTER_VEHICLES: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /**
   * How a vehicle proves it is the VIN it names (docs/security.md): `signature` (every request
   * signed with the vehicle's enrolled key), `mtls-header` (a trusted TLS-terminating proxy names
   * the client certificate), `open` (a VIN is enough unless the vehicle has a key). Default:
   * open on the embedded database, signature with DATABASE_URL.
   */
  VEHICLE_AUTH: z.enum(['signature', 'mtls-header', 'open'], { error: 'VEHICLE_AUTH must be signature, mtls-header or open' }).optional(),
  /** With VEHICLE_AUTH=mtls-header: the header in which the proxy passes the verified client certificate's subject (see docs/security.md). */
  MTLS_IDENTITY_HEADER: z.string().regex(/^[A-Za-z0-9-]+$/, 'MTLS_IDENTITY_HEADER must be a header name such as x-client-cert-subject').optional(),
  /** How long a rotated vehicle key's predecessor stays valid if the vehicle never signs with the new one. */
  VEHICLE_KEY_GRACE_HOURS: z.coerce.number().positive('VEHICLE_KEY_GRACE_HOURS must be a positive number of hours').default(168),
  /** Secret (32+ characters) that encrypts the server signing keys in the database; URL_SIGNING_SECRET when unset. */
  SERVER_KEY_SECRET: z.string().min(32, 'SERVER_KEY_SECRET must be at least 32 characters').optional(),
  /** Load the demo fleet into an empty database at start (embedded database: on by default). */
  DEMO_DATA: z.enum(['true', 'false', '1', '0']).optional(),
  /** Where package and log files live: `local` (DATA_DIR/files) or `s3` (an S3-compatible bucket). */
  STORAGE: z.enum(['local', 's3'], { error: 'STORAGE must be local or s3' }).default('local'),
  S3_BUCKET: z.string().min(3, 'S3_BUCKET must be a bucket name').optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** An S3-compatible endpoint such as MinIO's http://minio:9000; AWS S3 when unset. */
  S3_ENDPOINT: z.string().url('S3_ENDPOINT must be an absolute URL such as http://minio:9000').optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false', '1', '0'], { error: 'S3_FORCE_PATH_STYLE must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** With STORAGE=s3: a CDN in front of the bucket; download URLs become `<base>/<object key>` instead of presigned. */
  PUBLIC_DOWNLOAD_BASE_URL: z.string().url('PUBLIC_DOWNLOAD_BASE_URL must be an absolute URL such as https://cdn.example.com').optional(),
  /** Let webhook endpoints resolve to loopback, private or link-local addresses (default: only with the embedded database). */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.enum(['true', 'false', '1', '0'], { error: 'WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false' }).optional(),
  /** When set, GET /metrics wants `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** pino level of the server's logs. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  /** Longest a vehicle request or /api/health may take before it is answered 503 UNAVAILABLE with Retry-After (ms). */
  REQUEST_DEADLINE_MS: z.coerce.number().int('REQUEST_DEADLINE_MS must be a whole number of milliseconds').min(100).max(600_000).default(4_000),
  /**
   * How fresh a vehicle's last_seen_at is kept: a poll or notification within this many seconds
   * of the recorded time does not rewrite it (a poll that finds nothing to deliver then writes
   * nothing at all). 0 writes it on every request.
   */
  LAST_SEEN_PRECISION_SECONDS: z.coerce.number().int('LAST_SEEN_PRECISION_SECONDS must be a whole number of seconds').min(0).max(3600).default(30),
  /** Seconds postgres.js waits for a new connection before giving up on it. */
  DATABASE_CONNECT_TIMEOUT_SECONDS: z.coerce.number().positive('DATABASE_CONNECT_TIMEOUT_SECONDS must be a positive number').max(300).default(2),
  /** Failed sign-ins per account within SIGN_IN_WINDOW_MINUTES before it is locked for SIGN_IN_LOCK_MINUTES. */
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1, 'SIGN_IN_MAX_FAILURES must be at least 1').default(5),
  /** Failed sign-ins per client address within the window before that address is locked. */
  SIGN_IN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1, 'SIGN_IN_MAX_FAILURES_PER_IP must be at least 1').default(50),
  /** Failed sign-ins per client address per minute, per instance; beyond them attempts get 429 before next-auth runs (0: no limit). */
  SIGN_IN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  SIGN_IN_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  SIGN_IN_LOCK_MINUTES: z.coerce.number().positive().default(15),
  /** Comma-separated IPs or CIDRs of the reverse proxies whose X-Forwarded-For / X-Forwarded-Proto (and, under VEHICLE_AUTH=mtls-header, MTLS_IDENTITY_HEADER) are believed. */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  /** Requests one client address may have in flight at once on the production entry (0: no limit); more get 429. */
  MAX_REQUESTS_IN_FLIGHT_PER_IP: z.coerce.number().int().min(0).default(256),
  /** node:http: ms a client may take to send its request headers; to send its whole request (uploads included); and to stay silent mid-request or mid-answer. */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).default(20_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(300_000),
  HTTP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(0).default(120_000),
  /** Vehicle API requests per minute per VIN and per client address, per instance (0: no limit). */
  VEHICLE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  VEHICLE_IP_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(0),
});

/** A presigned SigV4 URL is valid for at most 7 days. */
const MAX_PRESIGNED_SECONDS = 604_800;

const settingsSchema = envSchema.superRefine((env, ctx) => {
  if (env.VEHICLE_AUTH === 'mtls-header') {
    if (!env.MTLS_IDENTITY_HEADER) ctx.addIssue({ code: 'custom', path: ['MTLS_IDENTITY_HEADER'], message: 'MTLS_IDENTITY_HEADER is required when VEHICLE_AUTH=mtls-header' });
    if (!env.TRUSTED_PROXIES.length) ctx.addIssue({ code: 'custom', path: ['TRUSTED_PROXIES'], message: 'TRUSTED_PROXIES is required when VEHICLE_AUTH=mtls-header (the proxies allowed to set MTLS_IDENTITY_HEADER)' });
  }
  {
    for (const entry of env.TRUSTED_PROXIES) {
      if (!isAddressOrCidr(entry)) ctx.addIssue({ code: 'custom', path: ['TRUSTED_PROXIES'], message: `TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR (e.g. 10.0.0.5 or 10.0.0.0/8)` });
    }
  }
  if (env.STORAGE !== 's3') return;
  if (!env.S3_BUCKET) ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'S3_BUCKET is required when STORAGE=s3' });
  for (const name of ['DOWNLOAD_URL_TTL_SECONDS', 'UPLOAD_URL_TTL_SECONDS'] as const) {
    if (env[name] > MAX_PRESIGNED_SECONDS) {
      ctx.addIssue({ code: 'custom', path: [name], message: `${name} may be at most ${MAX_PRESIGNED_SECONDS} (7 days, the longest a presigned S3 URL lives) when STORAGE=s3` });
    }
  }
});

export type VehicleAuth = 'signature' | 'mtls-header' | 'open';
export type Config = z.infer<typeof envSchema> & { embedded: boolean; loadDemoData: boolean; vehicleAuth: VehicleAuth; webhookAllowPrivateNetworks: boolean };

const CONFIG = Symbol.for('ota.config');
type ConfigGlobal = typeof globalThis & { [CONFIG]?: Config };

/** The environment, validated once per process; a bad variable fails with its name. */
export function getConfig(): Config {
  const g = globalThis as ConfigGlobal;
  if (g[CONFIG]) return g[CONFIG];
  const parsed = settingsSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  const env = parsed.data;
  const embedded = !env.DATABASE_URL;
  const demo = env.DEMO_DATA === undefined ? embedded : env.DEMO_DATA === 'true' || env.DEMO_DATA === '1';
  const allowPrivate = env.WEBHOOK_ALLOW_PRIVATE_NETWORKS;
  const webhookAllowPrivateNetworks = allowPrivate === undefined ? embedded : allowPrivate === 'true' || allowPrivate === '1';
  g[CONFIG] = { ...env, embedded, loadDemoData: demo, vehicleAuth: env.VEHICLE_AUTH ?? (embedded ? 'open' : 'signature'), webhookAllowPrivateNetworks };
  return g[CONFIG];
}

/** For tests that change the environment between cases. */
export function resetConfig(): void {
  delete (globalThis as ConfigGlobal)[CONFIG];
}
