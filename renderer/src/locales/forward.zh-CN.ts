// 简体中文：转发消息、已转发的标记，以及只搜带文件消息的筛选。
import type { Messages } from './en.js';
import type { forwardEn, searchFilesEn } from './forward.en.js';

export const forwardZhCN: Messages<typeof forwardEn> = {
  action: '转发',
  title: '转发消息',
  filter: '查找会话',
  none: '没有匹配的会话。',
  files_one: '{{count}} 个文件',
  files_other: '{{count}} 个文件',
  send: '发送',
  sendTo: '转发给 {{name}}',
  sending: '正在发送…',
  sent: '已发送',
  sentTo: '已转发给 {{name}}',
  done: '完成',
  forwarded: '已转发',
};

export const searchFilesZhCN: Messages<typeof searchFilesEn> = {
  withFiles: '含文件',
  withFilesLabel: '只看带文件的消息',
};
