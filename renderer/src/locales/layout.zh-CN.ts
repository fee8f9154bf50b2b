// 应用框架的中文文本：窄窗口中会话列表与会话轮流显示。
import type { Messages } from './en.js';
import type { layoutEn } from './layout.en.js';

export const layoutZhCN: Messages<typeof layoutEn> = {
  back: '返回会话列表',
};
