import { describe, expect, it } from 'vitest';
import { connectionString } from './connection-string.js';

describe('connectionString', () => {
  it('URL-encodes the user, password and database', () => {
    const url = connectionString({ host: '127.0.0.1', port: 5433, database: 'my db', user: 'ad@min' }, 'p:w/d?#%');
    expect(url).toBe('postgresql://ad%40min:p%3Aw%2Fd%3F%23%25@127.0.0.1:5433/my%20db');
    const parsed = new URL(url);
    expect(decodeURIComponent(parsed.password)).toBe('p:w/d?#%');
    expect(decodeURIComponent(parsed.username)).toBe('ad@min');
  });

  it('brackets IPv6 hosts', () => {
    expect(connectionString({ host: '::1', port: 5432, database: 'd', user: 'u' }, 'p')).toBe(
      'postgresql://u:p@[::1]:5432/d',
    );
  });
});
