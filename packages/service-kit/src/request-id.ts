import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { REQUEST_ID_HEADER } from '@elasticdash/contracts/platform/internal-context';

/** Accepts a caller's id only when it is short and made of safe characters (no log injection). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function saneRequestId(value: unknown): string | undefined {
  return typeof value === 'string' && SANE_REQUEST_ID.test(value) ? value : undefined;
}

export function genRequestId(request: IncomingMessage): string {
  return saneRequestId(request.headers[REQUEST_ID_HEADER]) ?? randomUUID();
}
