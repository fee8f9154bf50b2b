// 屏蔽联系人与消息请求的中文文本。
import type { Messages } from './en.js';
import type { peopleEn } from './people.en.js';

export const peopleZhCN: Messages<typeof peopleEn> = {
  block: '屏蔽',
  unblock: '解除屏蔽',
  blocked: '已屏蔽',
  blockedNotice: '你已屏蔽 {{name}}。你不会看到对方的消息，对方也看不到你的回执、输入状态和在线状态。',
  request: '消息请求',
  requestNotice: '{{name}} 不在你的联系人中。在你接受之前，对方不会知道你已读了消息。',
  accept: '接受',
  delete: '删除',
  confirmDelete: '删除此请求及其消息？如果 {{name}} 再次发来消息，将作为新的请求出现。',
  cancel: '取消',
};
