// The theme and language a page starts with and follows: pure choices, the DOM side is in ../appearance.ts.
import { z } from 'zod';
import { Appearance, DEFAULT_APPEARANCE, type LanguageChoice } from '../../../shared/desktop-settings.js';

export const SUPPORTED_LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

/**
 * The key of the copy of the choices kept in the page's storage, read before the first paint (the
 * settings themselves come from the host a moment later). public/appearance-boot.js reads it too.
 */
export const APPEARANCE_KEY = 'warbler.appearance';

/** What the storage holds, or the system's choices when it holds nothing usable (a value from storage is checked). */
export function parseCachedAppearance(raw: string | null): Appearance {
  if (raw === null) return DEFAULT_APPEARANCE;
  try {
    const parsed = Appearance.partial().safeParse(JSON.parse(raw));
    return parsed.success ? { ...DEFAULT_APPEARANCE, ...parsed.data } : DEFAULT_APPEARANCE;
  } catch {
    return DEFAULT_APPEARANCE;
  }
}

export function toSupported(tag: string): Language | null {
  const lower = tag.toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  return null;
}

const LanguageTag = z.string().min(1).max(35);

/**
 * `?lang=` in the page's address first (tests and screenshots name it), then the language chosen in
 * Settings, then the first of the system's languages the app has; English when none is.
 */
export function pickLanguage(choice: LanguageChoice, override: string | null, systemLanguages: readonly string[]): Language {
  const fromOverride = LanguageTag.safeParse(override).success ? toSupported(override!) : null;
  if (fromOverride) return fromOverride;
  if (choice !== 'system') return choice;
  for (const tag of systemLanguages) {
    const found = tag ? toSupported(tag) : null;
    if (found) return found;
  }
  return 'en';
}
