import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalS3 } from '../../scripts/lib/s3-local.mjs';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** The S3_* variables an app needs to use this server. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A throwaway local S3 server (s3rver) on a free port with its own directory and bucket. */
export async function startTestS3(options: { origins?: string[] } = {}): Promise<TestS3> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'ed-s3-'));
  const bucket = 'elasticdash-test';
  const server = await startLocalS3({ directory, bucket, origins: options.origins ?? ['*'] });
  return {
    endpoint: server.endpoint,
    bucket,
    env: {
      S3_ENDPOINT: server.endpoint,
      S3_PUBLIC_ENDPOINT: '',
      S3_REGION: 'us-east-1',
      S3_BUCKET: bucket,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    },
    stop: async () => {
      await server.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
