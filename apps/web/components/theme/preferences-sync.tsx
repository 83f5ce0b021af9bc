'use client';

import { useEffect } from 'react';
import { getStoredPreferences, samePreferences, setStoredPreferences } from '@/lib/preferences-store';
import { usePreferencesQuery } from '@/lib/queries';

/** Signed-in pages: the account's saved theme wins over this browser's copy. */
export function PreferencesSync() {
  const { data } = usePreferencesQuery();
  useEffect(() => {
    if (data && !samePreferences(data, getStoredPreferences())) setStoredPreferences(data);
  }, [data]);
  return null;
}
