// 应用外框的中文文本：侧栏、账户菜单、对话框和快捷键列表。
import type { Messages } from './en.js';
import type { shellEn } from './shell.en.js';

export const shellZhCN: Messages<typeof shellEn> = {
  rail: '主导航',
  listWidth: '会话列表宽度',
  chats: '聊天',
  chatsUnread_one: '聊天，{{count}} 条新消息',
  chatsUnread_other: '聊天，{{count}} 条新消息',
  account: '账户：{{username}}',
  accountMenu: '账户',
  presence: '在线状态',
  online: '在线',
  invisible: '隐身',
  invisibleHint: '其他人看到你离线',
  awayHint: '5 分钟无操作后显示为离开',
  away: '离开',
  awayChosenHint: '直到你重新选择在线',
  close: '关闭',
  topics: '主题',
  topicUnread_one: '{{count}} 条未读',
  topicUnread_other: '{{count}} 条未读',
  shortcuts: {
    open: '键盘快捷键',
    title: '键盘快捷键',
    chats: '显示聊天',
    notifications: '显示通知',
    settings: '打开设置',
    sheet: '显示键盘快捷键',
    searchAll: '搜索所有会话',
    searchHere: '在当前会话中搜索',
    keys: '按键',
    action: '操作',
  },
};
