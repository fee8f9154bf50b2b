// i18next setup: English (default) and Simplified Chinese, chosen from the browser's languages.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { en } from './locales/en.js';
import { I18N_OPTIONS } from './lib/i18n-options.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

export const SUPPORTED_LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

function toSupported(tag: string): Language | null {
  const lower = tag.toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  return null;
}

/** `?lang=zh-CN` overrides (handy for tests and screenshots); otherwise the first supported navigator language. */
export function detectLanguage(): Language {
  const override = new URLSearchParams(location.search).get('lang');
  const candidates = [override, ...(navigator.languages ?? []), navigator.language];
  for (const tag of candidates) {
    const found = tag ? toSupported(tag) : null;
    if (found) return found;
  }
  return 'en';
}

void i18n.use(initReactI18next).init({ ...I18N_OPTIONS, lng: detectLanguage(), supportedLngs: [...SUPPORTED_LANGUAGES] });

function syncDocumentLanguage(language: string): void {
  document.documentElement.lang = language;
}
syncDocumentLanguage(i18n.language);
i18n.on('languageChanged', syncDocumentLanguage);

export default i18n;
