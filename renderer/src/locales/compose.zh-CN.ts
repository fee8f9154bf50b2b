// 输入框的表情选择器，以及 Enter 键在输入框中的作用。
import type { Messages } from './en.js';
import type { composeEn } from './compose.en.js';

export const composeZhCN: Messages<typeof composeEn> = {
  emoji: '表情',
  emojiPicker: '选择表情',
  emojiSearch: '搜索表情',
  emojiLoading: '正在载入表情…',
  emojiNone: '没有找到表情',
  hintModifier: '{{keys}} 发送，Enter 换行',
  messages: '消息',
  enterSends: '按 Enter 发送消息',
  enterSendsHint: 'Shift+Enter 换行。关闭后，Enter 换行，{{keys}} 发送。',
};
