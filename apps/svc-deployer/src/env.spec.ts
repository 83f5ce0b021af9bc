import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ZDeployerEnv } from './env.js';

const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/elasticdash',
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  INTERNAL_TOKEN_PUBLIC_KEYS: '[{"kty":"OKP","crv":"Ed25519","x":"abc","kid":"k"}]',
  SVC_PLANS_URL: 'http://127.0.0.1:4050',
  SECRETS_MASTER_KEY: randomBytes(32).toString('base64'),
  SECRETS_MASTER_KEY_ID: 'dev-1',
};

function issues(env: Record<string, string | undefined>): Record<string, string> {
  const result = ZDeployerEnv.safeParse({ ...base, ...env });
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
}

describe('ZDeployerEnv', () => {
  it('has defaults, builds the keyring and keeps no raw key in the env', () => {
    const env = ZDeployerEnv.parse(base);
    expect(env.SVC_DEPLOYER_PORT).toBe(4060);
    expect(env.BULLMQ_PREFIX).toBe('bull');
    expect(env.DEPLOY_TARGETS).toEqual(['local']);
    expect(env.secretsKeyring.currentId).toBe('dev-1');
    expect(JSON.stringify(env)).not.toContain(base.SECRETS_MASTER_KEY);
  });

  it('reads DEPLOY_TARGETS as a comma list of known kinds', () => {
    expect(ZDeployerEnv.parse({ ...base, DEPLOY_TARGETS: 'local, aws,local' }).DEPLOY_TARGETS).toEqual([
      'local',
      'aws',
    ]);
    expect(issues({ DEPLOY_TARGETS: 'local,gcp' }).DEPLOY_TARGETS).toMatch(/unknown: gcp/);
    expect(issues({ DEPLOY_TARGETS: ' , ' }).DEPLOY_TARGETS).toMatch(/comma-separated/);
  });

  it('takes the EC2 emulator of the test hosts outside production only', () => {
    expect(issues({ DEPLOY_AWS_EMULATOR_URL: 'http://127.0.0.1:4566' })).toEqual({});
    expect(issues({ DEPLOY_AWS_EMULATOR_URL: 'http://127.0.0.1:4566', NODE_ENV: 'production' })).toEqual({
      DEPLOY_AWS_EMULATOR_URL: 'the EC2 emulator is for development and tests: unset it in production',
    });
    expect(Object.keys(issues({ DEPLOY_AWS_EMULATOR_URL: 'nope' }))).toEqual(['DEPLOY_AWS_EMULATOR_URL']);
  });

  it('names every missing or bad variable', () => {
    const found = issues({ SVC_PLANS_URL: undefined, SECRETS_MASTER_KEY: 'short' });
    expect(Object.keys(found)).toEqual(expect.arrayContaining(['SVC_PLANS_URL']));
    expect(issues({ SECRETS_MASTER_KEY: 'short' }).SECRETS_MASTER_KEY).toMatch(/32 random bytes/);
    expect(issues({ SECRETS_MASTER_KEY: undefined }).SECRETS_MASTER_KEY).toMatch(/master key/);
  });
});
