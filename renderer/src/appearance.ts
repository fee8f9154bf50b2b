// Applies the theme and language chosen in Settings to the page, and keeps a copy in the page's
// storage for the next start's first paint (public/appearance-boot.js and i18n.ts read it).
import type { Appearance } from '../../shared/desktop-settings.js';
import i18n from './i18n.js';
import { updateSettings, useDesktop } from './desktop-actions.js';
import { APPEARANCE_KEY, pickLanguage } from './lib/appearance.js';

export function applyAppearance(appearance: Appearance): void {
  document.documentElement.dataset.theme = appearance.theme;
  try {
    localStorage.setItem(APPEARANCE_KEY, JSON.stringify(appearance));
  } catch {
    // Storage refused (private mode, quota): this start still follows the choice.
  }
  const language = pickLanguage(appearance.language, new URLSearchParams(location.search).get('lang'), navigator.languages ?? [navigator.language]);
  if (i18n.language !== language) void i18n.changeLanguage(language);
}

/** Follows every change of the settings (this window's, another window's, or the host's). Returns the unsubscribe. */
export function followAppearance(): () => void {
  let last: Appearance | undefined;
  const apply = (settings: { appearance: Appearance } | null) => {
    if (!settings || settings.appearance === last) return;
    last = settings.appearance;
    applyAppearance(settings.appearance);
  };
  apply(useDesktop.getState().settings);
  return useDesktop.subscribe((state) => apply(state.settings));
}

/**
 * A choice in Settings: shown at once (the radio and the page, before the host has written it), kept
 * in the settings file so it holds after a restart, and taken back if the host refuses it.
 */
export async function chooseAppearance(patch: Partial<Appearance>): Promise<void> {
  const desktop = useDesktop.getState();
  const before = desktop.settings;
  if (!before) return;
  desktop.setSettings({ ...before, appearance: { ...before.appearance, ...patch } });
  try {
    await updateSettings({ appearance: patch });
  } catch (error) {
    const now = useDesktop.getState().settings;
    if (now) useDesktop.getState().setSettings({ ...now, appearance: before.appearance });
    throw error;
  }
}
