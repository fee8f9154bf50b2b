// 会话列表框架的中文文本：标题、新聊天对话框、列表行的附加信息。
import type { Messages } from './en.js';
import type { listEn } from './list.en.js';

export const listZhCN: Messages<typeof listEn> = {
  title: '聊天',
  newChat: '新聊天',
  person: '给某人发消息',
  or: '或',
  close: '关闭',
  typing: '正在输入…',
  noteToSelf: '给自己的备忘',
  noteToSelfHint: '只有你的设备能看到',
};
