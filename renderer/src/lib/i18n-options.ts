// The translations and options every i18next instance of the renderer starts from: the app's own
// (i18n.ts, which also picks the language from the browser) and standalone ones for a language.
import i18next, { type i18n as I18n } from 'i18next';
import { en } from '../locales/en.js';
import { zhCN } from '../locales/zh-CN.js';

export const I18N_OPTIONS = {
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  initAsync: false,
} as const;

/** An instance of its own in one language, ready at once (initAsync is off). */
export function standaloneI18n(lng: 'en' | 'zh-CN'): I18n {
  const instance = i18next.createInstance();
  void instance.init({ ...I18N_OPTIONS, lng });
  return instance;
}
