import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '@elasticdash/contracts/platform/errors';
import { AppError, badRequest, conflict, forbidden, serviceUnavailable } from '@elasticdash/service-kit/errors';

/** The fields node-postgres copies from a Postgres ErrorResponse. */
interface PgErrorFields {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
  constraint?: unknown;
  column?: unknown;
  table?: unknown;
}

export interface PgErrorHint {
  /** Columns the statement wrote, in request order (names the column of a bad value). */
  columns?: readonly string[];
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function cut(value: string, max = 120): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** `Key (email)=(a@b.c) already exists.` → { columns: 'email', values: 'a@b.c' } */
function parseKeyDetail(detail: string | undefined): { columns: string; values: string; table?: string } | null {
  if (!detail) return null;
  const match =
    /^Key \((.+?)\)=\((.*)\) (?:already exists|is not present in table "(.+)"|is still referenced from table "(.+)")\.$/s.exec(
      detail,
    );
  if (!match) return null;
  return { columns: match[1] ?? '', values: match[2] ?? '', table: match[3] ?? match[4] };
}

function withColumn(hint: PgErrorHint, message: string, column?: string): string {
  const name = column ?? (hint.columns?.length === 1 ? hint.columns[0] : undefined);
  return name ? `${name}: ${message}` : message;
}

/**
 * Turns a Postgres error into an answer a person understands (which constraint, which column),
 * or returns null when it is not a Postgres data/constraint error (connection problems and bugs
 * keep their own handling). Never includes SQL text; values appear only as Postgres reports them
 * in `detail` (the user's own input, or the conflicting key).
 */
export function readablePgError(error: unknown, hint: PgErrorHint = {}): AppError | null {
  if (typeof error !== 'object' || error === null) return null;
  const fields = error as PgErrorFields;
  const code = text(fields.code);
  if (!code || !SQLSTATE.test(code)) return null;
  const constraint = text(fields.constraint);
  const column = text(fields.column);
  const detail = text(fields.detail);
  const message = text(fields.message) ?? 'invalid value';
  const via = constraint ? ` (constraint ${constraint})` : '';
  switch (code) {
    case '23505': {
      const key = parseKeyDetail(detail);
      const what = key
        ? key.columns.includes(',')
          ? `(${key.columns}) = (${cut(key.values)})`
          : `${key.columns} = ${cut(key.values)}`
        : 'the same values';
      return conflict(`A row with ${what} already exists${via}`, { constraint: constraint ?? null, sqlState: code });
    }
    case '23503': {
      const key = parseKeyDetail(detail);
      if (detail?.includes('is still referenced')) {
        const from = key?.table ? ` from ${key.table}` : '';
        return conflict(`This row is still referenced${from}${via}; change or delete those rows first`, {
          constraint: constraint ?? null,
          sqlState: code,
        });
      }
      if (key) {
        return badRequest(
          `${key.columns} ${cut(key.values)} does not exist in ${key.table ?? 'the referenced table'}${via}`,
          {
            constraint: constraint ?? null,
            sqlState: code,
          },
        );
      }
      return badRequest(`The referenced row does not exist${via}`, { constraint: constraint ?? null, sqlState: code });
    }
    case '23502':
      return badRequest(column ? `${column} is required` : 'A required value is missing', {
        column: column ?? null,
        sqlState: code,
      });
    case '23514': {
      const name = constraint && hint.columns?.find((candidate) => constraint.includes(candidate));
      const subject = name ?? column ?? (hint.columns?.length === 1 ? hint.columns[0] : undefined);
      return badRequest(`${subject ?? 'The row'} violates check constraint ${constraint ?? '(unnamed)'}`, {
        constraint: constraint ?? null,
        sqlState: code,
      });
    }
    case '23P01':
      return conflict(`The row conflicts with another row${via}`, { constraint: constraint ?? null, sqlState: code });
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22001':
    case '22021':
    case '22023':
    case '22012':
    case '2201B':
    case '22025':
    case '22019':
    case '22P05':
    case '22004':
      return badRequest(withColumn(hint, message, column), { column: column ?? null, sqlState: code });
    case '57014':
      return serviceUnavailable(
        'The database took too long to answer (statement timeout); narrow the filter or try again',
      );
    case '40001':
    case '40P01':
    case '55P03':
      return conflict('Someone else is changing the same rows right now; try again', { sqlState: code });
    case '42501':
      return forbidden("The connection's database user is not allowed to do this (insufficient privilege)");
    case '25006':
      return forbidden('The database only accepts reads (read-only transaction or replica)');
    case '42P01':
    case '42703':
      return conflict('The table changed since it was last introspected; refresh the table list and try again', {
        sqlState: code,
      });
    case '42883':
    case '42804':
    case '42846':
    case '42725':
      return badRequest("This operation is not supported for the column's type", { sqlState: code });
    case '54000':
    case '54001':
    case '53200':
      return new AppError(HttpStatus.BAD_REQUEST, ErrorCode.badRequest, 'The request is too large for the database', {
        sqlState: code,
      });
    default:
      return null;
  }
}

/** Re-throws a Postgres error as a readable one when possible. */
export function rethrowReadable(error: unknown, hint: PgErrorHint = {}): never {
  throw readablePgError(error, hint) ?? error;
}
