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
  /** http://127.0.0.1:<port> (valid once `before` hooks ran). */
  readonly endpoint: string;
  /** The environment a Cairn process needs to use it (`--objects s3://cairn-test/<prefix>`). */
  readonly env: Record<string, string>;
}

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (opts: Record<string, unknown>) => S3rverInstance;

export function s3TestServer(): S3TestServer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-s3rver-'));
  let server: S3rverInstance | undefined;
  let endpoint = '';
  before(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const S3rver = require('s3rver') as S3rverClass;
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: S3_BUCKET }] });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get endpoint() {
      if (!endpoint) throw new Error('s3TestServer().endpoint is only known once the before() hooks ran');
      return endpoint;
    },
    get env() {
      return {
        CAIRN_S3_ENDPOINT: this.endpoint,
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        AWS_REGION: 'us-east-1',
      };
    },
  };
}
