/**
 * The unsaved-changes guard for in-app navigation: Next's App Router has no "route change" event
 * to cancel, so the editor listens to clicks on links (capture phase) and asks before following
 * the ones that would leave the page. This decides which clicks those are.
 */

export interface TLinkClick {
  /** The link's resolved href (`anchor.href`). */
  href: string;
  /** `anchor.target`. */
  target: string;
  hasDownload: boolean;
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
}

/** True when following this click would leave the current page inside this tab (so unsaved work is lost). */
export function leavesPage(click: TLinkClick, currentUrl: string): boolean {
  if (click.defaultPrevented || click.button !== 0) return false;
  // New tab or window, or a download: this page stays.
  if (click.metaKey || click.ctrlKey || click.shiftKey || click.altKey) return false;
  if (click.hasDownload || (click.target && click.target !== '_self')) return false;
  let next: URL;
  let current: URL;
  try {
    current = new URL(currentUrl);
    next = new URL(click.href, current);
  } catch {
    return false;
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') return false;
  // Only the hash changes: same page.
  return !(next.origin === current.origin && next.pathname === current.pathname && next.search === current.search);
}
