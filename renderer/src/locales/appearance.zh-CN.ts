// 外观设置的中文文本：主题和界面语言。
import type { Messages } from './en.js';
import type { appearanceEn } from './appearance.en.js';

export const appearanceZhCN: Messages<typeof appearanceEn> = {
  title: '外观',
  theme: '主题',
  themeOption: { system: '跟随系统', light: '浅色', dark: '深色' },
  language: '语言',
  languageOption: { system: '跟随系统', en: 'English', 'zh-CN': '简体中文' },
};
