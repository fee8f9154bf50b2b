// What the shell itself says (OS notifications, the tray): in the system's language, English or
// Simplified Chinese as the renderer offers. The main process has no i18next; these few are enough.
export interface ShellStrings {
  app: string;
  newMessage: string;
  newMessages(count: number): string;
  newNotification: string;
  withCount(name: string, count: number): string;
  inConversations(count: number): string;
  fromSenders(names: string[], more: number): string;
  unreadMessages(count: number): string;
  unreadNotifications(count: number): string;
  tooltip(parts: string[]): string;
  open(unread: number): string;
  dnd: string;
  dndOnUntil(time: string | null): string;
  dndOff: string;
  dndHour: string;
  dndUntil(time: string): string;
  dndForever: string;
  dndNightly(start: string, end: string): string;
  quit: string;
}

const en: ShellStrings = {
  app: 'Warbler',
  newMessage: 'New message',
  newMessages: (n) => `${n} new messages`,
  newNotification: 'New notification',
  withCount: (name, n) => `${name} · ${n} new messages`,
  inConversations: (n) => `in ${n} conversations`,
  fromSenders: (names, more) => `from ${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
  unreadMessages: (n) => `${n} unread message${n === 1 ? '' : 's'}`,
  unreadNotifications: (n) => `${n} unread notification${n === 1 ? '' : 's'}`,
  tooltip: (parts) => (parts.length > 0 ? `Warbler — ${parts.join(', ')}` : 'Warbler'),
  open: (n) => (n > 0 ? `Open Warbler (${n} unread)` : 'Open Warbler'),
  dnd: 'Do not disturb',
  dndOnUntil: (time) => `Do not disturb: on${time ? ` until ${time}` : ''}`,
  dndOff: 'Off',
  dndHour: 'For 1 hour',
  dndUntil: (time) => `Until ${time}`,
  dndForever: 'Until I turn it off',
  dndNightly: (start, end) => `Every night ${start}–${end}`,
  quit: 'Quit Warbler',
};

const zhCN: ShellStrings = {
  app: 'Warbler',
  newMessage: '新消息',
  newMessages: (n) => `${n} 条新消息`,
  newNotification: '新通知',
  withCount: (name, n) => `${name} · ${n} 条新消息`,
  inConversations: (n) => `来自 ${n} 个会话`,
  fromSenders: (names, more) => `来自 ${names.join('、')}${more > 0 ? ` 等 ${names.length + more} 人` : ''}`,
  unreadMessages: (n) => `${n} 条未读消息`,
  unreadNotifications: (n) => `${n} 条未读通知`,
  tooltip: (parts) => (parts.length > 0 ? `Warbler — ${parts.join('，')}` : 'Warbler'),
  open: (n) => (n > 0 ? `打开 Warbler（${n} 条未读）` : '打开 Warbler'),
  dnd: '勿扰',
  dndOnUntil: (time) => `勿扰：已开启${time ? `，直到 ${time}` : ''}`,
  dndOff: '关闭',
  dndHour: '1 小时',
  dndUntil: (time) => `直到 ${time}`,
  dndForever: '直到我关闭',
  dndNightly: (start, end) => `每晚 ${start}–${end}`,
  quit: '退出 Warbler',
};

/** A BCP 47 locale (app.getLocale()): Chinese in mainland spellings gets Chinese, everyone else English. */
export function shellStrings(locale: string): ShellStrings {
  return /^zh(-(CN|SG|Hans)\b|$)/i.test(locale) ? zhCN : en;
}

export const ENGLISH = en;
