/** The workspace this browser used last: only a default for /app, never the source of truth. */
const KEY = 'ed:last-workspace';

export function rememberWorkspace(tenantId: string): void {
  try {
    window.localStorage.setItem(KEY, tenantId);
  } catch {
    // storage disabled
  }
}

export function lastWorkspace(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}
