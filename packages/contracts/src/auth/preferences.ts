import { z } from 'zod';

export const THEMES = ['light', 'dark', 'system'] as const;
/** Accent palettes; the web app maps each to CSS variables under `[data-scheme=…]`. */
export const SCHEMES = ['indigo', 'emerald', 'rose', 'amber', 'slate'] as const;

export const ZPreferences = z
  .object({
    theme: z.enum(THEMES),
    scheme: z.enum(SCHEMES),
  })
  .meta({ id: 'Preferences' });
export type TPreferences = z.infer<typeof ZPreferences>;

export const DEFAULT_PREFERENCES: TPreferences = { theme: 'system', scheme: 'indigo' };
