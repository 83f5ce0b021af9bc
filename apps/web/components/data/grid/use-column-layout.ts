'use client';

import { useCallback, useState } from 'react';
import { layoutStorageKey, parseLayout, type TColumnLayout } from '@/lib/data/column-layout';

/** Column order, widths and hidden columns of one table, kept in localStorage. */
export function useColumnLayout(connectionId: string, schema: string, table: string) {
  const key = layoutStorageKey(connectionId, schema, table);
  const [layout, setLayoutState] = useState<TColumnLayout>(() => {
    if (typeof window === 'undefined') return parseLayout(null);
    try {
      return parseLayout(window.localStorage.getItem(key));
    } catch {
      return parseLayout(null);
    }
  });

  const setLayout = useCallback(
    (update: (current: TColumnLayout) => TColumnLayout) => {
      setLayoutState((current) => {
        const next = update(current);
        try {
          window.localStorage.setItem(key, JSON.stringify(next));
        } catch {
          // storage full or disabled: the layout still applies to this page
        }
        return next;
      });
    },
    [key],
  );

  return { layout, setLayout };
}
