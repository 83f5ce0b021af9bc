import { describe, expect, it } from 'vitest';
import { ConnectDeadlineError, classifyConnectionError, scrubPassword } from './connection-errors.js';

const settings = { host: 'db.example', port: 5432, database: 'shop', user: 'app' };
const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('classifyConnectionError', () => {
  it.each([
    [coded('ENOTFOUND', 'getaddrinfo ENOTFOUND db.example'), 'dns', /^Host db\.example could not be found \(DNS\)/],
    [coded('EAI_AGAIN'), 'dns', /could not be found \(DNS\)/],
    [coded('ECONNREFUSED'), 'refused', /^Nothing is listening on db\.example:5432/],
    [
      Object.assign(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]), { message: '' }),
      'refused',
      /Nothing is listening/,
    ],
    [coded('EHOSTUNREACH'), 'refused', /cannot be reached/],
    [new ConnectDeadlineError(5000), 'timeout', /^No answer from db\.example:5432 within 5 s/],
    [new Error('timeout expired'), 'timeout', /within 5 s/],
    [coded('ETIMEDOUT'), 'timeout', /No answer/],
    [coded('57014', 'canceling statement due to statement timeout'), 'timeout', /statement timeout/],
    [
      coded('28P01', 'password authentication failed for user "app"'),
      'auth_failed',
      /^Password authentication failed for user app$/,
    ],
    [
      coded('28000', 'no pg_hba.conf entry for host "1.2.3.4", user "app", database "shop", no encryption'),
      'tls',
      /only accepts encrypted/,
    ],
    [
      coded('28000', 'role "app" is not permitted to log in'),
      'auth_failed',
      /refused user app: role "app" is not permitted/,
    ],
    [
      coded('3D000', 'database "shop" does not exist'),
      'unknown_database',
      /^Database "shop" does not exist on db\.example:5432/,
    ],
    [new Error('The server does not support SSL connections'), 'tls', /does not support SSL/],
    [coded('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), 'tls', /could not be verified/],
    [coded('SELF_SIGNED_CERT_IN_CHAIN'), 'tls', /could not be verified/],
    [coded('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls', /could not be verified/],
    [
      coded('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"),
      'tls',
      /hostname mismatch/,
    ],
    [coded('CERT_HAS_EXPIRED'), 'tls', /expired/],
    [
      coded('ERR_OSSL_PEM_NO_START_LINE', 'error:0480006C:PEM routines::no start line'),
      'tls',
      /CA certificate could not be read/,
    ],
    [coded('ERR_SSL_WRONG_VERSION_NUMBER'), 'tls', /TLS handshake/],
    [new Error('Connection terminated unexpectedly'), 'other', /closed the connection/],
    [coded('53300', 'sorry, too many clients already'), 'other', /too many connections/],
    [new Error('boom'), 'other', /^Could not connect to db\.example:5432: boom$/],
  ])('%s → %s', (error, failure, message) => {
    const result = classifyConnectionError(error, settings);
    expect(result.failure).toBe(failure);
    expect(result.message).toMatch(message);
  });

  it('never repeats the password, even when a message contains it', () => {
    const result = classifyConnectionError(new Error('weird driver error near hunter22!'), settings, 'hunter22!');
    expect(result.message).not.toContain('hunter22!');
    expect(scrubPassword('a hunter22! b', 'hunter22!')).toBe('a *** b');
  });
});
