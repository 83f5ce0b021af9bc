'use client';

import { Monitor, Moon, Sun } from 'lucide-react';
import { THEMES, type TPreferences } from '@elasticdash/contracts/auth/preferences';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { usePreferences } from '@/lib/preferences-store';
import { useSavePreferences } from './use-save-preferences';

export const THEME_LABELS: Record<TPreferences['theme'], string> = { light: 'Light', dark: 'Dark', system: 'System' };
export const THEME_ICONS = { light: Sun, dark: Moon, system: Monitor } as const;

/** Light / dark / system switch for headers. */
export function ThemeMenu({ persistToServer }: { persistToServer: boolean }) {
  const preferences = usePreferences();
  const save = useSavePreferences(persistToServer);
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label="Theme" data-testid="theme-menu">
          <Sun className="block dark:hidden" aria-hidden />
          <Moon className="hidden dark:block" aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="min-w-40">
        <DropdownMenuLabel>Theme</DropdownMenuLabel>
        <DropdownMenuRadioGroup
          value={preferences.theme}
          onValueChange={(value) => {
            const theme = THEMES.find((candidate) => candidate === value);
            if (theme) save({ ...preferences, theme });
          }}
        >
          {THEMES.map((theme) => {
            const Icon = THEME_ICONS[theme];
            return (
              <DropdownMenuRadioItem key={theme} value={theme}>
                <Icon aria-hidden /> {THEME_LABELS[theme]}
              </DropdownMenuRadioItem>
            );
          })}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
