'use client';

import { useEffect, useRef } from 'react';

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/**
 * Ctrl+Z / Cmd+Z undoes the last edit of this session, Ctrl+Shift+Z / Ctrl+Y redoes it, on
 * the whole page, except while typing in a field (where the field's own undo applies) or
 * while a dialog is open.
 */
export function useUndoShortcuts(handlers: { undo: () => void; redo: () => void; enabled: boolean }) {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const { undo, redo, enabled } = ref.current;
      if (!enabled || event.altKey || !(event.ctrlKey || event.metaKey) || typingIn(event.target)) return;
      if (document.querySelector('[role="dialog"], [role="alertdialog"]')) return;
      const key = event.key.toLowerCase();
      if (key === 'z') {
        event.preventDefault();
        if (event.shiftKey) redo();
        else undo();
      } else if (key === 'y' && !event.metaKey) {
        event.preventDefault();
        redo();
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
