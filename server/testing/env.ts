/** Where the PostgreSQL test run keeps its files (the demo firmware among them). */
export const POSTGRES_TEST_DATA_DIR = './data/test-postgres';
export const TEST_URL_SIGNING_SECRET = 'test-secret-for-signed-urls-000000000000';
