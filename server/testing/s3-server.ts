// An S3 protocol server on loopback for tests: s3rver (objects on disk, multipart, Range), behind
// a small proxy that refuses presigned URLs the way S3 does: expired, or with a signature that the
// AWS SDK's own presigner does not reproduce for the same request, time and credentials. (s3rver
// itself does not check SigV4 signatures.) No SigV4 is written here: the SDK computes it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import S3rver from 's3rver';

/** s3rver's built-in account. */
export const TEST_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const TEST_S3_BUCKET = 'ota-test';
export const TEST_S3_REGION = 'us-east-1';

export type TestS3Server = {
  /** The verifying proxy's origin: what S3_ENDPOINT points to. */
  endpoint: string;
  bucket: string;
  /** The environment that makes the application use this store. */
  env: Record<string, string>;
  close(): Promise<void>;
};

export async function startTestS3Server(options: { port?: number } = {}): Promise<TestS3Server> {
  const directory = mkdtempSync(path.join(tmpdir(), 'ota-s3-'));
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: TEST_S3_BUCKET }] });
  const upstream = await s3.run();
  const proxy = createServer((req, res) => {
    forward(req, res, upstream).catch((error: unknown) => {
      if (!res.headersSent) s3Error(res, 500, 'InternalError', String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => proxy.listen(options.port ?? 0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  return {
    endpoint,
    bucket: TEST_S3_BUCKET,
    env: {
      STORAGE: 's3',
      S3_BUCKET: TEST_S3_BUCKET,
      S3_REGION: TEST_S3_REGION,
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: TEST_S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_S3_CREDENTIALS.secretAccessKey,
    },
    async close() {
      await closeServer(proxy);
      await s3.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function forward(req: IncomingMessage, res: ServerResponse, upstream: AddressInfo): Promise<void> {
  const refusal = await checkPresigned(req);
  if (refusal) {
    req.resume();
    return s3Error(res, 403, refusal.code, refusal.message);
  }
  await new Promise<void>((resolve, reject) => {
    const out = httpRequest(
      { host: upstream.address, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', reject);
      },
    );
    out.on('error', reject);
    req.pipe(out);
  });
}

const sha256 = new S3Client({ region: TEST_S3_REGION, credentials: TEST_S3_CREDENTIALS }).config.sha256;

/** null for a request S3 would let through; else the S3 error it would answer. */
async function checkPresigned(req: IncomingMessage): Promise<{ code: string; message: string } | null> {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const q = url.searchParams;
  const given = q.get('X-Amz-Signature');
  if (!given) return null; // header-signed SDK calls of the application: s3rver takes them
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(q.get('X-Amz-Date') ?? '');
  const expiresIn = Number(q.get('X-Amz-Expires'));
  const [accessKeyId, , region, service] = (q.get('X-Amz-Credential') ?? '').split('/');
  if (!date || !Number.isInteger(expiresIn) || !region || !service) return { code: 'AuthorizationQueryParametersError', message: 'malformed presigned URL' };
  if (accessKeyId !== TEST_S3_CREDENTIALS.accessKeyId) return { code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
  const signingDate = new Date(Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!));
  if (signingDate.getTime() + expiresIn * 1000 < Date.now()) return { code: 'AccessDenied', message: 'Request has expired' };

  const query: Record<string, string> = {};
  for (const [name, value] of q) if (name !== 'X-Amz-Signature') query[name] = value;
  const headers: Record<string, string> = {};
  for (const name of (q.get('X-Amz-SignedHeaders') ?? '').split(';')) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const [hostname, port] = (req.headers.host ?? '').split(':');
  const presigner = new S3RequestPresigner({ credentials: TEST_S3_CREDENTIALS, region, service, sha256 });
  const expected = await presigner.presign(
    { method: req.method ?? 'GET', protocol: 'http:', hostname: hostname ?? '', port: port ? Number(port) : undefined, path: url.pathname, query, headers },
    { signingDate, expiresIn, signingRegion: region, signingService: service },
  );
  if (expected.query?.['X-Amz-Signature'] !== given) {
    return { code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' };
  }
  return null;
}

function s3Error(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolve()));
  });
