import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      { find: '@', replacement: path.resolve(import.meta.dirname) },
      // Modules marked `import 'server-only'` run here as on the server: the package's empty
      // react-server build (the default one throws, for client bundles).
      { find: /^server-only$/, replacement: path.resolve(import.meta.dirname, 'node_modules/server-only/empty.js') },
    ],
  },
  test: {
    include: ['server/**/*.test.ts', 'db/**/*.test.ts'],
    setupFiles: ['server/testing/setup.ts'],
    globalSetup: ['server/testing/global-setup.ts'],
    pool: 'forks',
    // On PostgreSQL all files share one database (and its fleet defaults): run them one at a time.
    fileParallelism: !process.env.DATABASE_URL,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
