// npm run storage:migrate: copies the files under DATA_DIR/files into the S3 bucket that
// STORAGE=s3 and the S3_* settings name. Safe to run again; exits 1 if a file is missing or corrupt.
import path from 'node:path';
import { getConfig } from '../config';
import { closeDb, getDb } from '../db';
import { createConfiguredBlobStore } from './index';
import { createLocalBlobStore } from './local-store';
import { migrateFilesToStore } from './migrate-to-store';

async function main(): Promise<number> {
  const config = getConfig();
  if (config.STORAGE !== 's3') {
    console.error('storage:migrate copies DATA_DIR/files into a bucket: set STORAGE=s3, S3_BUCKET (and S3_REGION, S3_ENDPOINT, credentials) first');
    return 1;
  }
  const source = createLocalBlobStore(path.join(config.DATA_DIR, 'files'));
  const target = createConfiguredBlobStore(config);
  console.log(`copying ${path.resolve(config.DATA_DIR, 'files')} into s3://${config.S3_BUCKET}${config.S3_ENDPOINT ? ` at ${config.S3_ENDPOINT}` : ''}`);
  const results = await migrateFilesToStore(await getDb(), source, target, (f) => console.log(`${f.result.padEnd(8)} ${f.storageKey}`));
  const count = (r: string) => results.filter((f) => f.result === r).length;
  console.log(`${count('copied')} copied, ${count('present')} already there, ${count('missing')} missing locally, ${count('mismatch')} not matching their sha256`);
  return count('missing') + count('mismatch') > 0 ? 1 : 0;
}

main()
  .then(async (code) => {
    await closeDb();
    process.exit(code);
  })
  .catch((error: unknown) => {
    console.error('storage:migrate failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
