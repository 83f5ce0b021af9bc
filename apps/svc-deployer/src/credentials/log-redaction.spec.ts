import { Writable } from 'node:stream';
import { createLogger } from '@elasticdash/service-kit/logger';
import { describe, expect, it } from 'vitest';
import { connectionString } from './connection-string.js';

/** The credentials answer must never reach a log line, even if someone logs it by mistake. */
describe('log redaction of revealed credentials', () => {
  it('masks password and connectionString (top level and two levels deep) and URL passwords in messages', () => {
    let output = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString();
        done();
      },
    });
    const logger = createLogger('svc-deployer', 'info', sink);
    const password = 'Zx9_secretPasswordValue-0123456';
    const endpoint = { host: '127.0.0.1', port: 5432, database: 'orders', user: 'orders_admin' };
    const credentials = { endpoint, password, connectionString: connectionString(endpoint, password) };
    logger.info(credentials, 'top level');
    logger.info({ credentials }, 'one level down');
    logger.info({ body: { credentials } }, 'two levels down');
    logger.info(`connecting to ${credentials.connectionString}`);
    expect(output).not.toContain(password);
    expect(output).toContain('[redacted]');
  });
});
