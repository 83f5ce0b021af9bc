'use client';

import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'next/navigation';
import { decodeView, encodeView, VIEW_PARAM, type TGridView } from '@/lib/data/view-url';

/**
 * The grid's view (filters, sort, search, visible columns) is the URL's `?v=`: reloading or
 * sharing the link shows the same rows. Changes use the History API, which Next's router
 * follows (useSearchParams updates) without a server round trip.
 */
export function useGridView() {
  const searchParams = useSearchParams();
  const raw = searchParams.get(VIEW_PARAM);
  const { view, valid } = useMemo(() => decodeView(raw), [raw]);

  const setView = useCallback((next: TGridView, mode: 'push' | 'replace' = 'push') => {
    const params = new URLSearchParams(window.location.search);
    const encoded = encodeView(next);
    if (encoded) params.set(VIEW_PARAM, encoded);
    else params.delete(VIEW_PARAM);
    const query = params.toString();
    const url = `${window.location.pathname}${query ? `?${query}` : ''}`;
    if (url === window.location.pathname + window.location.search) return;
    if (mode === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  }, []);

  return { view, valid, setView };
}
