// English texts of the appearance settings: the theme and the language of the UI.
export const appearanceEn = {
  title: 'Appearance',
  theme: 'Theme',
  themeOption: { system: 'System', light: 'Light', dark: 'Dark' },
  language: 'Language',
  /** The languages are named in their own language, so a person who cannot read the current one finds theirs. */
  languageOption: { system: 'System', en: 'English', 'zh-CN': '简体中文' },
} as const;
