// 简体中文
import type { Messages } from './en.js';

export const zhCN: Messages = {
  app: {
    name: 'Warbler',
    signedInAs: '已登录：{{username}}',
  },
  load: {
    loading: '正在加载…',
    failedTitle: 'Warbler 无法启动',
    noBridge: 'Warbler 后台服务不可用。',
    retry: '重试',
  },
  firstRun: {
    title: '欢迎使用 Warbler',
    intro: '在 Warbler 中继服务器上创建账户即可开始聊天。消息采用端到端加密。',
    serverUrl: '服务器地址',
    serverUrlHint: '例如 wss://relay.example.org',
    username: '用户名',
    usernameHint: '2–32 个字母、数字、“_”、“-”或“.”，以字母开头。',
    submit: '创建账户',
    pending: '正在创建账户…',
  },
  connection: {
    connecting: '正在连接…',
    offline: '已离线——连接恢复后将发送消息',
    stopped: '连接已断开：{{message}}',
    retry: '重新连接',
  },
  expired: {
    notice_one: '有 {{count}} 条消息在本设备重新上线前已在中继服务器上过期。',
    notice_other: '有 {{count}} 条消息在本设备重新上线前已在中继服务器上过期。',
    dismiss: '关闭',
  },
  conversations: {
    heading: '会话',
    empty: '还没有会话。',
    noMessages: '暂无消息',
    youPrefix: '我：',
    unread_one: '{{count}} 条未读',
    unread_other: '{{count}} 条未读',
  },
  newChat: {
    heading: '新聊天',
    username: '用户名',
    submit: '开始聊天',
  },
  conversation: {
    none: '选择一个会话，或开始新聊天。',
    historyLabel: '与 {{name}} 的聊天记录',
    empty: '还没有消息，打个招呼吧！',
  },
  message: {
    you: '我',
    sending: '发送中',
    sent: '已发送',
    delivered: '已送达',
    failed: '发送失败',
  },
  composer: {
    label: '消息',
    placeholder: '输入消息…',
    hint: '按 Enter 发送，Shift+Enter 换行',
    send: '发送',
  },
  errors: {
    unknown: '出了点问题。',
  },
};
