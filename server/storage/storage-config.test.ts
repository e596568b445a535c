import { afterEach, describe, expect, it } from 'vitest';
import { getConfig, resetConfig } from '../config';

const names = ['STORAGE', 'S3_BUCKET', 'S3_ENDPOINT', 'S3_FORCE_PATH_STYLE', 'DOWNLOAD_URL_TTL_SECONDS', 'PUBLIC_DOWNLOAD_BASE_URL'] as const;
const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));

/** The settings with `env` on top of the test's own, validated as at start. */
function configWith(env: Partial<Record<(typeof names)[number], string>>) {
  for (const n of names) delete process.env[n];
  Object.assign(process.env, env);
  resetConfig();
  return getConfig();
}

describe('storage settings, checked at start', () => {
  afterEach(() => {
    for (const n of names) {
      if (saved[n] === undefined) delete process.env[n];
      else process.env[n] = saved[n];
    }
    resetConfig();
  });

  it('keeps files on the local disk unless told otherwise', () => {
    expect(configWith({})).toMatchObject({ STORAGE: 'local', S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: false });
  });

  it('reads the S3 settings', () => {
    expect(configWith({ STORAGE: 's3', S3_BUCKET: 'ota-files', S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: 'true' })).toMatchObject({
      STORAGE: 's3',
      S3_BUCKET: 'ota-files',
      S3_ENDPOINT: 'http://minio:9000',
      S3_FORCE_PATH_STYLE: true,
    });
  });

  it('names the variable that is missing or wrong', () => {
    expect(() => configWith({ STORAGE: 's3' })).toThrow('S3_BUCKET: S3_BUCKET is required when STORAGE=s3');
    expect(() => configWith({ STORAGE: 'minio' })).toThrow('STORAGE: STORAGE must be local or s3');
    expect(() => configWith({ STORAGE: 's3', S3_BUCKET: 'b', S3_ENDPOINT: 'the minio box' })).toThrow('S3_ENDPOINT must be an absolute URL');
    expect(() => configWith({ STORAGE: 's3', S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'yes' })).toThrow('S3_FORCE_PATH_STYLE must be true or false');
    expect(() => configWith({ STORAGE: 's3', S3_BUCKET: 'b', DOWNLOAD_URL_TTL_SECONDS: '1209600' })).toThrow(
      'DOWNLOAD_URL_TTL_SECONDS may be at most 604800 (7 days, the longest a presigned S3 URL lives) when STORAGE=s3',
    );
    expect(() => configWith({ PUBLIC_DOWNLOAD_BASE_URL: 'cdn' })).toThrow('PUBLIC_DOWNLOAD_BASE_URL must be an absolute URL');
  });
});
