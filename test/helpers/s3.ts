/**
 * A real S3-protocol server for tests: `s3rver` (pure JS, files under a temp folder) on
 * 127.0.0.1, with one bucket. Call `s3TestServer()` at the top level of a test file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';

export const S3_BUCKET = 'cairn-test';

export interface S3TestServer {
  /** Resolves once the server listens, with the environment a Cairn process needs to use it. */
  ready(): Promise<Record<string, string>>;
}

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (opts: Record<string, unknown>) => S3rverInstance;

/** Starts right away (Node 20 runs top-level `before` hooks concurrently); stops after the file's tests. */
export function s3TestServer(): S3TestServer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-s3rver-'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as S3rverClass;
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: S3_BUCKET }] });
  const ready = server.run().then(({ port }) => ({
    CAIRN_S3_ENDPOINT: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  }));
  ready.catch(() => {});
  before(() => ready);
  after(async () => {
    await ready.then(() => server.close(), () => {});
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { ready: () => ready };
}
