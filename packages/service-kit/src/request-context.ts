import { AsyncLocalStorage } from 'node:async_hooks';
import type { TInternalContext } from '@elasticdash/contracts/platform/internal-context';

export interface RequestStore {
  requestId: string;
  context?: TInternalContext;
}

/** Per-request store: lets every log line carry the request id without passing it around. */
export const requestStorage = new AsyncLocalStorage<RequestStore>();

export function currentRequestId(): string | undefined {
  return requestStorage.getStore()?.requestId;
}
