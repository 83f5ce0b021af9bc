import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets } from './logger.js';
import { requestStorage } from './request-context.js';

function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
  };
}

describe('scrubSecrets', () => {
  it('masks passwords inside connection strings', () => {
    expect(scrubSecrets('connect postgres://app:s3cr3t@db:5432/x failed')).toBe(
      'connect postgres://app:***@db:5432/x failed',
    );
    expect(scrubSecrets('redis://:hunter2@cache:6379')).toBe('redis://:***@cache:6379');
  });
  it('masks session cookies and bearer tokens', () => {
    expect(scrubSecrets('cookie ed_session=abc.def; other=1')).toBe('cookie ed_session=***; other=1');
    expect(scrubSecrets('Authorization: Bearer eyJhbGciOi.x.y')).toBe('Authorization: Bearer ***');
  });
});

describe('createLogger', () => {
  it('redacts secret fields at any of the first levels and stamps the request id', () => {
    const { stream, lines } = capture();
    const logger = createLogger('test', 'info', stream);
    requestStorage.run({ requestId: 'req-12345678' }, () => {
      logger.info(
        {
          password: 'pw-1',
          body: { newPassword: 'pw-2', nested: { token: 't-3' } },
          connectionString: 'postgres://u:p@h/d',
        },
        'login for postgres://u:topsecret@h/d',
      );
    });
    const [line] = lines();
    expect(line).toMatchObject({
      requestId: 'req-12345678',
      service: 'test',
      password: '[redacted]',
      connectionString: '[redacted]',
    });
    expect(JSON.stringify(line)).not.toMatch(/pw-1|pw-2|t-3|topsecret/);
    expect(line?.msg).toBe('login for postgres://u:***@h/d');
  });

  it('redacts three levels down, and the deployer and storage secrets by name', () => {
    const { stream, lines } = capture();
    const logger = createLogger('test', 'info', stream);
    logger.info({
      deployment: { operation: { credentials: { password: 'pw-deep' } } },
      adminPassword: 'pw-admin',
      agent: { verifier: 'SCRAM-SHA-256$4096:salt$stored:server' },
      env: { SECRETS_MASTER_KEY: 'master-key-b64', S3_SECRET_ACCESS_KEY: 's3-secret' },
    });
    expect(JSON.stringify(lines())).not.toMatch(/pw-deep|pw-admin|SCRAM-SHA-256|master-key-b64|s3-secret/);
  });
});
