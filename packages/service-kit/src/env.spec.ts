import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { loadEnv, zJson, zPort, zPostgresUrl } from './env.js';

const ZExample = z.object({
  DATABASE_URL: zPostgresUrl,
  PORT: zPort.default(4000),
  KEYS: zJson(z.array(z.string()).min(1)),
});

describe('loadEnv', () => {
  afterEach(() => vi.restoreAllMocks());

  it('returns the typed, defaulted environment when valid', () => {
    const env = loadEnv(ZExample, { DATABASE_URL: 'postgres://u@h/d', KEYS: '["a"]' });
    expect(env).toEqual({ DATABASE_URL: 'postgres://u@h/d', PORT: 4000, KEYS: ['a'] });
  });

  it('exits 1 naming every bad or missing variable and why', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => {
      throw new Error('exit');
    }) as never);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(() => loadEnv(ZExample, { DATABASE_URL: 'http://h', PORT: '70000' }, 'demo')).toThrow('exit');
    expect(exit).toHaveBeenCalledWith(1);
    const text = stderr.mock.calls.map((call) => String(call[0])).join('');
    expect(text).toContain('[demo] refusing to start');
    expect(text).toContain('DATABASE_URL: must be a PostgreSQL URL');
    expect(text).toContain('PORT: must be a port between 1 and 65535');
    expect(text).toMatch(/KEYS: missing/);
  });
});
