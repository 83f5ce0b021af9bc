import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZConnectionsEnv } from './env.js';

const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/elasticdash',
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  INTERNAL_TOKEN_PUBLIC_KEYS: '[{"kty":"OKP","crv":"Ed25519","x":"abc","kid":"k"}]',
};
const key = () => randomBytes(32).toString('base64');

function issues(env: Record<string, string>): Record<string, string> {
  const result = ZConnectionsEnv.safeParse({ ...base, ...env });
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
}

describe('ZConnectionsEnv', () => {
  it('builds the keyring from the current and previous keys, and keeps no raw key in the env', () => {
    const current = key();
    const previous = key();
    const result = ZConnectionsEnv.parse({
      ...base,
      SECRETS_MASTER_KEY: current,
      SECRETS_MASTER_KEY_ID: 'k2',
      SECRETS_PREVIOUS_KEYS: JSON.stringify({ k1: previous }),
    });
    expect(result.secretsKeyring?.currentId).toBe('k2');
    expect(result.secretsKeyring?.keys.get('k2')?.toString('base64')).toBe(current);
    expect(result.secretsKeyring?.keys.get('k1')?.toString('base64')).toBe(previous);
    expect(JSON.stringify(result)).not.toContain(current);
    expect(result).toMatchObject({
      SECRET_STORE: 'local',
      SECRETS_PREFIX: 'elasticdash',
      CUSTOMER_POOL_MAX: 5,
      CUSTOMER_STATEMENT_TIMEOUT_MS: 15_000,
      EXACT_COUNT_TIMEOUT_MS: 5_000,
    });
  });

  it('refuses to start without a master key, naming the variable (no silent default)', () => {
    expect(issues({ SECRETS_MASTER_KEY_ID: 'k1' })).toEqual({
      SECRETS_MASTER_KEY: expect.stringMatching(/needs a master key/),
    });
    expect(issues({ SECRETS_MASTER_KEY: key() })).toEqual({
      SECRETS_MASTER_KEY_ID: expect.stringMatching(/needs the id of the master key/),
    });
  });

  it('refuses a key that is not 32 bytes, naming the variable', () => {
    expect(issues({ SECRETS_MASTER_KEY: randomBytes(16).toString('base64'), SECRETS_MASTER_KEY_ID: 'k1' })).toEqual({
      SECRETS_MASTER_KEY: expect.stringMatching(/exactly 32 random bytes/),
    });
    expect(issues({ SECRETS_MASTER_KEY: 'not base64!', SECRETS_MASTER_KEY_ID: 'k1' })).toHaveProperty(
      'SECRETS_MASTER_KEY',
    );
    expect(
      issues({
        SECRETS_MASTER_KEY: key(),
        SECRETS_MASTER_KEY_ID: 'k2',
        SECRETS_PREVIOUS_KEYS: JSON.stringify({ k1: randomBytes(31).toString('base64') }),
      }),
    ).toEqual({ SECRETS_PREVIOUS_KEYS: expect.stringMatching(/key "k1" must be base64 of exactly 32/) });
  });

  it('reads the key from SECRETS_MASTER_KEY_FILE', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ed-key-'));
    const good = path.join(dir, 'good');
    const bad = path.join(dir, 'bad');
    const current = key();
    writeFileSync(good, `${current}\n`);
    writeFileSync(bad, 'short');
    const env = ZConnectionsEnv.parse({ ...base, SECRETS_MASTER_KEY_FILE: good, SECRETS_MASTER_KEY_ID: 'f1' });
    expect(env.secretsKeyring?.keys.get('f1')?.toString('base64')).toBe(current);
    expect(issues({ SECRETS_MASTER_KEY_FILE: bad, SECRETS_MASTER_KEY_ID: 'f1' })).toEqual({
      SECRETS_MASTER_KEY_FILE: expect.stringMatching(/must hold base64 of exactly 32/),
    });
    expect(issues({ SECRETS_MASTER_KEY_FILE: path.join(dir, 'missing'), SECRETS_MASTER_KEY_ID: 'f1' })).toEqual({
      SECRETS_MASTER_KEY_FILE: expect.stringMatching(/cannot read .*ENOENT/),
    });
  });

  it('aws needs AWS_REGION and no master key', () => {
    expect(issues({ SECRET_STORE: 'aws' })).toEqual({ AWS_REGION: expect.stringMatching(/needs the AWS region/) });
    const env = ZConnectionsEnv.parse({
      ...base,
      SECRET_STORE: 'aws',
      AWS_REGION: 'eu-west-1',
      SECRETS_PREFIX: 'acme',
    });
    expect(env).toMatchObject({
      SECRET_STORE: 'aws',
      AWS_REGION: 'eu-west-1',
      SECRETS_PREFIX: 'acme',
      secretsKeyring: undefined,
    });
    expect(issues({ SECRET_STORE: 'vault' })).toHaveProperty('SECRET_STORE');
  });

  it('validates pool sizes and timeouts', () => {
    expect(issues({ SECRETS_MASTER_KEY: key(), SECRETS_MASTER_KEY_ID: 'k', CUSTOMER_POOL_MAX: '0' })).toHaveProperty(
      'CUSTOMER_POOL_MAX',
    );
    expect(
      issues({ SECRETS_MASTER_KEY: key(), SECRETS_MASTER_KEY_ID: 'k', CUSTOMER_STATEMENT_TIMEOUT_MS: 'soon' }),
    ).toHaveProperty('CUSTOMER_STATEMENT_TIMEOUT_MS');
  });
});
