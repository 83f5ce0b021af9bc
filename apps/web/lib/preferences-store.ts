'use client';

import { useSyncExternalStore } from 'react';
import { DEFAULT_PREFERENCES, type TPreferences } from '@elasticdash/contracts/auth/preferences';
import { applyPreferences, parsePreferences, PREFERENCES_STORAGE_KEY } from './theme';

/**
 * The browser's copy of the theme preferences: localStorage is the source the inline script
 * reads before paint, so every change goes through here (write storage, apply to <html>,
 * notify subscribers). Other tabs follow through the `storage` event; `system` follows the OS.
 */
const listeners = new Set<() => void>();
let cachedRaw: string | null | undefined;
let cachedValue: TPreferences = DEFAULT_PREFERENCES;

function readRaw(): string | null {
  try {
    return window.localStorage.getItem(PREFERENCES_STORAGE_KEY);
  } catch {
    return null;
  }
}

function snapshot(): TPreferences {
  const raw = readRaw();
  if (raw !== cachedRaw) {
    cachedRaw = raw;
    cachedValue = parsePreferences(raw);
  }
  return cachedValue;
}

function notify() {
  for (const listener of listeners) listener();
}

let systemListenerInstalled = false;
function installGlobalListeners() {
  if (systemListenerInstalled || typeof window === 'undefined') return;
  systemListenerInstalled = true;
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (snapshot().theme === 'system') applyPreferences(snapshot());
  });
  window.addEventListener('storage', (event) => {
    if (event.key !== PREFERENCES_STORAGE_KEY) return;
    applyPreferences(snapshot());
    notify();
  });
}

function subscribe(listener: () => void) {
  installGlobalListeners();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getStoredPreferences(): TPreferences {
  return typeof window === 'undefined' ? DEFAULT_PREFERENCES : snapshot();
}

export function setStoredPreferences(preferences: TPreferences): void {
  try {
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify(preferences));
  } catch {
    // storage disabled (private mode): the attributes still change for this page
  }
  applyPreferences(preferences);
  notify();
}

/** Re-applies the stored preferences (React's dev-only remount clears <html> attributes). */
export function reapplyStoredPreferences(): void {
  applyPreferences(snapshot());
}

export function usePreferences(): TPreferences {
  return useSyncExternalStore(subscribe, snapshot, () => DEFAULT_PREFERENCES);
}

export function samePreferences(a: TPreferences, b: TPreferences): boolean {
  return a.theme === b.theme && a.scheme === b.scheme;
}
