'use client';

import { SCHEMES, THEMES, type TPreferences } from '@elasticdash/contracts/auth/preferences';
import { THEME_ICONS, THEME_LABELS } from '@/components/theme/theme-menu';
import { useSavePreferences } from '@/components/theme/use-save-preferences';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { cn } from '@/lib/cn';
import { usePreferences } from '@/lib/preferences-store';

const SCHEME_LABELS: Record<TPreferences['scheme'], string> = {
  indigo: 'Indigo',
  emerald: 'Emerald',
  rose: 'Rose',
  amber: 'Amber',
  slate: 'Slate',
};

/** Swatch colours (fixed, so each option shows its own colour whatever the current scheme is). */
const SCHEME_SWATCH: Record<TPreferences['scheme'], string> = {
  indigo: '#4f46e5',
  emerald: '#047857',
  rose: '#e11d48',
  amber: '#b45309',
  slate: '#334155',
};

const optionClasses =
  'flex cursor-pointer items-center gap-2 rounded-md border border-border bg-surface px-3 py-2 text-sm font-medium text-fg hover:bg-muted has-[:checked]:border-accent has-[:checked]:bg-accent-soft has-[:checked]:text-accent-text has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-accent';

export function AppearanceCard() {
  const preferences = usePreferences();
  const save = useSavePreferences(true);

  return (
    <Card>
      <CardHeader title="Appearance" description="Saved to your account and remembered on this device." />
      <CardBody className="flex flex-col gap-6">
        <fieldset>
          <legend className="text-sm font-medium text-fg">Theme</legend>
          <div className="mt-2 flex flex-wrap gap-2">
            {THEMES.map((theme) => {
              const Icon = THEME_ICONS[theme];
              return (
                <label key={theme} className={optionClasses}>
                  <input
                    type="radio"
                    name="theme"
                    value={theme}
                    className="sr-only"
                    checked={preferences.theme === theme}
                    onChange={() => save({ ...preferences, theme })}
                  />
                  <Icon className="size-4" aria-hidden />
                  {THEME_LABELS[theme]}
                </label>
              );
            })}
          </div>
          <p className="mt-2 text-xs text-fg-muted">System follows your device’s light or dark setting.</p>
        </fieldset>
        <fieldset>
          <legend className="text-sm font-medium text-fg">Accent colour</legend>
          <div className="mt-2 flex flex-wrap gap-2">
            {SCHEMES.map((scheme) => (
              <label key={scheme} className={optionClasses}>
                <input
                  type="radio"
                  name="scheme"
                  value={scheme}
                  className="sr-only"
                  checked={preferences.scheme === scheme}
                  onChange={() => save({ ...preferences, scheme })}
                />
                <span
                  aria-hidden
                  className={cn('size-4 rounded-full ring-1 ring-border-strong/50')}
                  style={{ backgroundColor: SCHEME_SWATCH[scheme] }}
                />
                {SCHEME_LABELS[scheme]}
              </label>
            ))}
          </div>
        </fieldset>
      </CardBody>
    </Card>
  );
}
