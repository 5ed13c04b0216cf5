// The presentation slice of the app's store: the theme (light or dark; the system's preference
// until the user picks one), presentation mode (large type, high contrast, captions, keyboard)
// and whether captions show. Which scenario plays is part of the run's config, not of this slice.
import type { StateCreator } from 'zustand/vanilla';

export type Theme = 'light' | 'dark';

export interface PresentationSlice {
  theme: Theme;
  /** True once the user chose a theme; until then the theme follows prefers-color-scheme. */
  themeChosen: boolean;
  presentation: boolean;
  captionsShown: boolean;
}

/** The system's preferred theme; light where there is no window (tests in Node). */
export function systemTheme(): Theme {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return 'light';
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const presentationSlice: StateCreator<PresentationSlice, [], [], PresentationSlice> = () => ({
  theme: systemTheme(),
  themeChosen: false,
  presentation: false,
  captionsShown: true,
});
