// 订阅推送主题，以及主题的设置面板。
import type { Messages } from './en.js';
import type { pushSubscriptionsEn } from './push-subscriptions.en.js';

export const pushSubscriptionsZhCN: Messages<typeof pushSubscriptionsEn> = {
  subscribeHeading: '订阅主题',
  topic: '主题',
  topicHint: '你的中继上的主题名称（1–64 个字母、数字、“-”或“_”），或主题的完整网址，也可以在其他 ntfy 服务器上，例如 https://ntfy.sh/alerts。',
  invalidTopic: '主题为 1–64 个字母、数字、“-”或“_”，或主题的网址。',
  insecure: '将通过明文 HTTP 连接 {{host}}，途中任何人都能读取或篡改：请使用它的 https:// 地址。',
  remoteHint: '位于 {{host}}：本设备直接连接它，与你的中继无关。',
  submit: '订阅',
  cancel: '取消',
  subscribed: '已订阅 {{topic}}。',
  none: '还没有订阅。',
  muted: '已静音',
  settingsLabel: '{{topic}} 的设置',
  settingsTitle: '{{topic}} 的设置',
  muteTopic: '静音此主题',
  muteHint: '推送仍会保存在这里，但不再发出通知。',
  notSubscribed: '你已不再订阅 {{topic}}；已收到的推送会保留，直到你清除它们。',
  unsubscribe: '取消订阅',
  minPriority: '{{topic}} 的通知',
  minPriorityOption: {
    min: '每条推送',
    low: '低优先级及以上',
    default: '默认优先级及以上',
    high: '高优先级及以上',
    max: '仅最高优先级',
  },
  publishHeading: '向它发布',
  publishHint: '任何程序都可以用一个 HTTP 请求发布，与 ntfy 相同：',
  publishSample: '备份完成',
};
