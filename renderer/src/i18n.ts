// i18next setup: English (default) and Simplified Chinese, chosen in Settings or from the browser's languages.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { en } from './locales/en.js';
import { I18N_OPTIONS } from './lib/i18n-options.js';
import { APPEARANCE_KEY, parseCachedAppearance, pickLanguage, SUPPORTED_LANGUAGES, type Language } from './lib/appearance.js';
import type { LanguageChoice } from '../../shared/desktop-settings.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

function cachedChoice(): LanguageChoice {
  try {
    return parseCachedAppearance(localStorage.getItem(APPEARANCE_KEY)).language;
  } catch {
    return 'system';
  }
}

/** At start, before the settings arrive: `?lang=`, then the choice last saved in this page's storage, then the browser's. */
export function detectLanguage(): Language {
  return pickLanguage(cachedChoice(), new URLSearchParams(location.search).get('lang'), navigator.languages ?? [navigator.language]);
}

void i18n.use(initReactI18next).init({ ...I18N_OPTIONS, lng: detectLanguage(), supportedLngs: [...SUPPORTED_LANGUAGES] });

function syncDocumentLanguage(language: string): void {
  document.documentElement.lang = language;
}
syncDocumentLanguage(i18n.language);
i18n.on('languageChanged', syncDocumentLanguage);

export default i18n;
