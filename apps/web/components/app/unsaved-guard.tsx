'use client';

import { useEffect, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { leavesPage } from '@/lib/plans/navigation';

/**
 * Asks before unsaved changes are lost: the browser's own prompt on reload, close and external
 * navigation (beforeunload), and our dialog for in-app links (clicks on <a> are caught in the
 * capture phase, before Next's <Link> handles them).
 */
export function UnsavedChangesGuard({ active, what }: { active: boolean; /** e.g. "This plan" */ what: string }) {
  const router = useRouter();
  const [pendingHref, setPendingHref] = useState<string | null>(null);
  const leaving = useRef(false);

  useEffect(() => {
    if (!active) return;
    function onBeforeUnload(event: BeforeUnloadEvent) {
      if (leaving.current) return;
      event.preventDefault();
      // Older browsers need returnValue set to show the prompt.
      event.returnValue = '';
    }
    function onClick(event: MouseEvent) {
      const target = event.target instanceof Element ? event.target.closest('a[href]') : null;
      if (!(target instanceof HTMLAnchorElement)) return;
      const leaves = leavesPage(
        {
          href: target.href,
          target: target.target,
          hasDownload: target.hasAttribute('download'),
          button: event.button,
          metaKey: event.metaKey,
          ctrlKey: event.ctrlKey,
          shiftKey: event.shiftKey,
          altKey: event.altKey,
          defaultPrevented: event.defaultPrevented,
        },
        window.location.href,
      );
      if (!leaves) return;
      event.preventDefault();
      event.stopPropagation();
      setPendingHref(target.href);
    }
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [active]);

  function leave() {
    const href = pendingHref;
    setPendingHref(null);
    if (!href) return;
    leaving.current = true;
    const url = new URL(href);
    if (url.origin === window.location.origin) router.push(url.pathname + url.search + url.hash);
    else window.location.assign(href);
  }

  return (
    <ConfirmDialog
      open={pendingHref !== null}
      onOpenChange={(open) => {
        if (!open) setPendingHref(null);
      }}
      title="Leave without saving?"
      description={`${what} has changes that are not saved. They are lost if you leave this page.`}
      confirmLabel="Leave without saving"
      onConfirm={leave}
    />
  );
}
