// 消息操作的中文文本：工具栏、表情回应、回复、编辑、删除。
import type { Messages } from './en.js';
import type { conversationStateEn, disappearingEn, messageActionsEn } from './message-actions.en.js';

export const messageActionsZhCN: Messages<typeof messageActionsEn> = {
  toolbar: '消息操作',
  reply: '回复',
  react: '表情回应',
  more: '更多操作',
  copy: '复制文字',
  edit: '编辑',
  deleteForMe: '仅为我删除',
  deleteForEveryone: '为所有人删除',
  confirmDeleteForEveryone: '要为会话中的所有人删除这条消息吗？所有设备上都会显示为“此消息已删除”。',
  cancel: '取消',
  anyEmoji: '任意表情',
  reactWith: '用 {{emoji}} 回应',
  reactions: '表情回应',
  reactedBy: '{{names}} 回应了 {{emoji}}',
  deleted: '此消息已删除',
  edited: '已编辑',
  versions: '早先的版本',
  noVersions: '本设备没有保存早先的版本。',
  replyingTo: '回复 {{name}}',
  editing: '正在编辑你的消息',
  cancelReply: '取消回复',
  cancelEdit: '取消编辑',
  save: '保存',
  quoteOf: '回复 {{name}} 的消息：查看原消息',
  mentionSuggestions: '可提及的成员',
  quoteEmpty: '被引用的消息已删除，或只有文件',
};

export const disappearingZhCN: Messages<typeof disappearingEn> = {
  label: '阅后即焚',
  off: '关闭',
  set: '{{actor}} 将阅后即焚设为 {{duration}}',
  turnedOff: '{{actor}} 关闭了阅后即焚',
  messageTimer: '阅读后 {{duration}} 消失',
};

export const conversationStateZhCN: Messages<typeof conversationStateEn> = {
  menu: '会话选项',
  pin: '置顶',
  unpin: '取消置顶',
  archive: '归档',
  unarchive: '取消归档',
  muteFor: '静音 {{duration}}',
  muteAlways: '始终静音',
  unmute: '取消静音',
  markUnread: '标记为未读',
  pinned: '已置顶',
  muted: '已静音',
  markedUnread: '已标记为未读',
  archived: '已归档（{{count}}）',
  hideArchived: '隐藏已归档',
  draft: '草稿：',
  delete: '删除聊天',
  confirmDelete: '要从此设备删除与 {{title}} 的聊天，包括其中的消息和文件吗？此操作无法撤销。',
};
