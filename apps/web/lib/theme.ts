import {
  DEFAULT_PREFERENCES,
  SCHEMES,
  THEMES,
  ZPreferences,
  type TPreferences,
} from '@elasticdash/contracts/auth/preferences';

/**
 * Theme handling shared by the inline <head> script (runs before first paint), the client
 * store, and the settings page. The stored value is the user's preference (`system` included);
 * `<html data-theme>` always carries the resolved `light` or `dark`.
 */
export const PREFERENCES_STORAGE_KEY = 'ed:preferences';

export type TResolvedTheme = 'light' | 'dark';

export function systemTheme(): TResolvedTheme {
  return typeof window !== 'undefined' && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function resolveTheme(theme: TPreferences['theme']): TResolvedTheme {
  return theme === 'system' ? systemTheme() : theme;
}

export function parsePreferences(raw: string | null): TPreferences {
  if (!raw) return DEFAULT_PREFERENCES;
  try {
    const parsed = ZPreferences.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : DEFAULT_PREFERENCES;
  } catch {
    return DEFAULT_PREFERENCES;
  }
}

export function applyPreferences(preferences: TPreferences): void {
  const root = document.documentElement;
  const resolved = resolveTheme(preferences.theme);
  root.setAttribute('data-theme', resolved);
  root.setAttribute('data-scheme', preferences.scheme);
  root.setAttribute('data-theme-preference', preferences.theme);
  root.style.colorScheme = resolved;
}

/**
 * The blocking script placed in <head>. Plain ES5, no imports: it must run before the
 * stylesheet paints anything. Mirrors parsePreferences + applyPreferences.
 */
export const THEME_SCRIPT = `(function(){try{var d=document.documentElement,T=${JSON.stringify(THEMES)},S=${JSON.stringify(
  SCHEMES,
)},p={};try{p=JSON.parse(localStorage.getItem(${JSON.stringify(PREFERENCES_STORAGE_KEY)})||"{}")||{}}catch(e){}var t=T.indexOf(p.theme)>=0?p.theme:${JSON.stringify(
  DEFAULT_PREFERENCES.theme,
)},s=S.indexOf(p.scheme)>=0?p.scheme:${JSON.stringify(
  DEFAULT_PREFERENCES.scheme,
)},r=t==="system"?(window.matchMedia&&window.matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light"):t;d.setAttribute("data-theme",r);d.setAttribute("data-scheme",s);d.setAttribute("data-theme-preference",t);d.style.colorScheme=r}catch(e){}})();`;
