import { NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { conflict, tooManyRequests } from './errors.js';
import { mapError } from './exception-filter.js';

describe('mapError', () => {
  it('keeps an AppError code, details and headers', () => {
    expect(mapError(tooManyRequests('slow down', 7.2))).toEqual({
      status: 429,
      code: 'rate_limited',
      message: 'slow down',
      details: { retryAfterSeconds: 7.2 },
      headers: { 'retry-after': '8' },
    });
    expect(mapError(conflict('taken')).status).toBe(409);
  });

  it('lists zod field paths', () => {
    const result = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } });
    expect(result.success).toBe(false);
    const mapped = mapError(result.error);
    expect(mapped).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(mapped.details).toEqual({ issues: [{ path: 'a.b', message: expect.stringContaining('number') }] });
  });

  it('maps unreachable Postgres to 503 and unknown errors to a 500 without internals', () => {
    expect(
      mapError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })).status,
    ).toBe(503);
    const internal = mapError(new TypeError('secret detail'));
    expect(internal).toMatchObject({ status: 500, code: 'internal_error' });
    expect(internal.message).not.toContain('secret');
    expect(mapError(new NotFoundException()).status).toBe(404);
  });

  it('unwraps drizzle query errors so parameters never reach the answer and SQLSTATEs still map', async () => {
    const { DrizzleQueryError } = await import('drizzle-orm/errors');
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const wrapped = new DrizzleQueryError('select * from users where email = $1', ['secret@example.test'], cause);
    const mapped = mapError(wrapped);
    expect(mapped.status).toBe(503);
    expect(JSON.stringify(mapped)).not.toContain('secret@example.test');
  });
});
