import { describe, expect, it } from 'vitest';
import { ZWorkerEnv } from '../env.js';
import { connectFailure } from '../monitor/monitor.processor.js';

const BASE = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  S3_BUCKET: 'bucket',
};
const KEY = Buffer.alloc(32, 7).toString('base64');

describe('worker env: deployer variables', () => {
  it('defaults: root, port range, loopback listen, detect binaries, no keyring without a key', () => {
    const env = ZWorkerEnv.parse(BASE);
    expect(env).toMatchObject({
      DEPLOY_LOCAL_ROOT: '/var/lib/elasticdash/local-targets',
      DEPLOY_LOCAL_PORT_RANGE: { first: 55000, last: 55999 },
      DEPLOY_LOCAL_LISTEN_ADDRESSES: ['127.0.0.1'],
      PG_BIN_DIR: '',
      DEPLOY_CONCURRENCY: 2,
      MONITOR_INTERVAL_MS: 5000,
      DEPLOY_LOCK_DURATION_MS: 30000,
      secretsKeyring: null,
    });
  });

  it('builds the keyring and drops the raw key from the env object', () => {
    const env = ZWorkerEnv.parse({ ...BASE, SECRETS_MASTER_KEY: KEY, SECRETS_MASTER_KEY_ID: 'dev-1' });
    expect(env.secretsKeyring?.currentId).toBe('dev-1');
    expect(JSON.stringify(env)).not.toContain(KEY);
    expect('SECRETS_MASTER_KEY' in env).toBe(false);
  });

  it('names the bad variable', () => {
    const range = ZWorkerEnv.safeParse({ ...BASE, DEPLOY_LOCAL_PORT_RANGE: '9000-80' });
    expect(range.success).toBe(false);
    expect(range.error?.issues[0]?.path).toEqual(['DEPLOY_LOCAL_PORT_RANGE']);
    const id = ZWorkerEnv.safeParse({ ...BASE, SECRETS_MASTER_KEY: KEY });
    expect(id.error?.issues.map((i) => i.path[0])).toEqual(['SECRETS_MASTER_KEY_ID']);
    const root = ZWorkerEnv.safeParse({ ...BASE, DEPLOY_LOCAL_ROOT: 'relative/dir' });
    expect(root.error?.issues[0]?.path).toEqual(['DEPLOY_LOCAL_ROOT']);
  });
});

describe('worker env: test-host mode', () => {
  const url = 'http://127.0.0.1:4566';
  it('accepts the EC2 emulator with a local S3 server', () => {
    const env = ZWorkerEnv.parse({ ...BASE, DEPLOY_AWS_EMULATOR_URL: url, S3_ENDPOINT: 'http://127.0.0.1:4569' });
    expect(env.DEPLOY_AWS_EMULATOR_URL).toBe(url);
  });

  it('refuses it without S3_ENDPOINT, in production, or when it is not a URL, naming the variable', () => {
    for (const bad of [
      { DEPLOY_AWS_EMULATOR_URL: url },
      { DEPLOY_AWS_EMULATOR_URL: url, S3_ENDPOINT: 'http://127.0.0.1:4569', NODE_ENV: 'production' },
      { DEPLOY_AWS_EMULATOR_URL: 'ec2.local', S3_ENDPOINT: 'http://127.0.0.1:4569' },
    ]) {
      const parsed = ZWorkerEnv.safeParse({ ...BASE, ...bad });
      expect(parsed.error?.issues.map((i) => i.path[0])).toEqual(['DEPLOY_AWS_EMULATOR_URL']);
    }
  });
});

describe('monitor: connection failures in words', () => {
  const where = '127.0.0.1:55012';
  it.each([
    [{ code: 'ECONNREFUSED' }, 'PostgreSQL is not accepting connections on 127.0.0.1:55012 (connection refused)'],
    [{ code: '28P01', message: 'password authentication failed' }, 'authentication failed for the admin role'],
    [
      { code: 'ECONNRESET', message: 'read ECONNRESET' },
      'PostgreSQL on 127.0.0.1:55012 dropped the connection as it opened (connection reset; shutting down?)',
    ],
    [{ code: '57P03' }, 'PostgreSQL on 127.0.0.1:55012 is starting up or shutting down'],
    [
      { message: 'Connection terminated due to connection timeout' },
      'PostgreSQL did not answer on 127.0.0.1:55012 within 2 s',
    ],
    [{ code: '3D000' }, 'the database "orders" does not exist on 127.0.0.1:55012'],
  ])('%o', (error, reason) => {
    expect(connectFailure(error, where, 'orders')).toBe(reason);
  });
});
