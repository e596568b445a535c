import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${port}`;
/** Debian's Chromium when installed (CI installs it); Playwright's own browser otherwise. */
const chromium = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
/** The end-to-end run gets its own database: a fresh embedded one, or E2E_DATABASE_URL. */
const databaseUrl = process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL;

export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  timeout: 60_000,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: { baseURL, trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    { name: 'api', testMatch: /.*\.api\.spec\.ts/ },
    {
      name: 'ui',
      testMatch: /.*\.ui\.spec\.ts/,
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        launchOptions: {
          executablePath: chromium,
          args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      },
    },
  ],
  webServer: {
    // A fresh production build, served by the production entry exactly as `npm start` serves
    // it (PORT below), on a fresh data folder loaded with the demo fleet.
    command: 'rm -rf data/e2e && next build && npm start',
    url: `${baseURL}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: 'data/e2e',
      DEMO_DATA: 'true',
      // The specs send the seed's unsigned examples, also when CI runs them on PostgreSQL (whose default is `signature`).
      VEHICLE_AUTH: 'open',
      URL_SIGNING_SECRET: process.env.URL_SIGNING_SECRET ?? 'e2e-url-signing-secret-0123456789abcdef',
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? 'e2e-nextauth-secret-0123456789abcdefghij',
      NEXTAUTH_URL: baseURL,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
  },
});
