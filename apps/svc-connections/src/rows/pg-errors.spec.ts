import { describe, expect, it } from 'vitest';
import { readablePgError } from './pg-errors.js';

function answer(error: object, columns?: string[]) {
  const mapped = readablePgError(error, { columns });
  return mapped ? { status: mapped.getStatus(), code: mapped.code, message: mapped.message } : null;
}

describe('Postgres errors → readable answers', () => {
  it('unique violations name the key and the constraint (409)', () => {
    expect(
      answer({ code: '23505', detail: 'Key (email)=(a@b.c) already exists.', constraint: 'customers_email_key' }),
    ).toEqual({
      status: 409,
      code: 'conflict',
      message: 'A row with email = a@b.c already exists (constraint customers_email_key)',
    });
    expect(answer({ code: '23505', detail: 'Key (a, b)=(1, x) already exists.', constraint: 'ab' })?.message).toBe(
      'A row with (a, b) = (1, x) already exists (constraint ab)',
    );
  });

  it('foreign keys: a missing parent is a 400, a referenced row a 409', () => {
    expect(
      answer({
        code: '23503',
        detail: 'Key (customer_id)=(999) is not present in table "customers".',
        constraint: 'orders_customer_id_fkey',
      }),
    ).toEqual({
      status: 400,
      code: 'bad_request',
      message: 'customer_id 999 does not exist in customers (constraint orders_customer_id_fkey)',
    });
    expect(
      answer({
        code: '23503',
        detail: 'Key (id)=(1) is still referenced from table "orders".',
        constraint: 'orders_customer_id_fkey',
      })?.message,
    ).toBe(
      'This row is still referenced from orders (constraint orders_customer_id_fkey); change or delete those rows first',
    );
  });

  it('not-null, check and invalid input name the column', () => {
    expect(answer({ code: '23502', column: 'name' })?.message).toBe('name is required');
    expect(answer({ code: '23514', constraint: 'products_price_check' }, ['name', 'price'])?.message).toBe(
      'price violates check constraint products_price_check',
    );
    expect(answer({ code: '22P02', message: 'invalid input syntax for type integer: "x"' }, ['stock'])).toEqual({
      status: 400,
      code: 'bad_request',
      message: 'stock: invalid input syntax for type integer: "x"',
    });
    expect(
      answer({ code: '22001', message: 'value too long for type character varying(3)' }, ['a', 'b'])?.message,
    ).toBe('value too long for type character varying(3)');
  });

  it('timeouts, privileges and stale catalogs; other errors pass through', () => {
    expect(answer({ code: '57014' })?.status).toBe(503);
    expect(answer({ code: '42501' })?.status).toBe(403);
    expect(answer({ code: '42703' })?.status).toBe(409);
    expect(answer({ code: 'ECONNREFUSED' })).toBeNull();
    expect(answer({ code: 'XX000', message: 'internal' })).toBeNull();
    expect(answer(new Error('plain'))).toBeNull();
  });
});
