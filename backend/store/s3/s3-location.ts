import { S3Client } from '@aws-sdk/client-s3';
import { invalidParam } from '../../core/errors';

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing slashes ('' for the bucket root). */
  prefix: string;
}

/** `s3://bucket/some/prefix` → { bucket, prefix }. */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/.*)?$/.exec(url);
  if (!m) throw invalidParam(`Invalid S3 location '${url}': expected s3://bucket[/prefix] (bucket: 3-63 lowercase letters, digits, dots, hyphens).`);
  return { bucket: m[1]!, prefix: (m[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

/**
 * An S3 client configured the usual way: credentials and region from the AWS environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, AWS_REGION, instance
 * roles …). For S3-compatible servers (MinIO, s3rver, Ceph …) set CAIRN_S3_ENDPOINT (or the AWS
 * SDK's own AWS_ENDPOINT_URL_S3); path-style addressing is then used unless
 * CAIRN_S3_FORCE_PATH_STYLE=0.
 */
export function s3ClientFromEnv(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env['CAIRN_S3_ENDPOINT'] || undefined;
  const customEndpoint = endpoint ?? env['AWS_ENDPOINT_URL_S3'] ?? env['AWS_ENDPOINT_URL'];
  const pathStyle = env['CAIRN_S3_FORCE_PATH_STYLE'] !== undefined ? env['CAIRN_S3_FORCE_PATH_STYLE'] !== '0' : customEndpoint !== undefined;
  const keyId = env['AWS_ACCESS_KEY_ID'];
  const secret = env['AWS_SECRET_ACCESS_KEY'];
  return new S3Client({
    endpoint,
    // Without explicit keys the SDK's default chain applies (profiles, SSO, instance roles …).
    credentials: keyId && secret ? { accessKeyId: keyId, secretAccessKey: secret, sessionToken: env['AWS_SESSION_TOKEN'] } : undefined,
    forcePathStyle: pathStyle,
    region: env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
    // Checksums only where S3 requires them: many S3-compatible servers reject the newer defaults.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
