// The notification center's part of the IPC contract (shared/ipc.ts): pushes as this app keeps
// them, the push:* channels, and the events that tell the renderer of a push or a subscription.
import { z } from 'zod';
import { PushAttachment } from './push.js';
import { TOPIC_KEY_PATTERN } from './push-topic-key.js';

const Empty = z.object({}).strict();

/** A topic's key (shared/push-topic-key.ts): its name on this relay, or host/name on another server. */
export const PushTopic = z
  .string()
  .max(330)
  .regex(TOPIC_KEY_PATTERN, 'a topic is 1–64 letters, digits, "-" or "_", on this relay or as host/name on another server');

/** A push in the notification center, as this app stored it. */
export const PushItem = z.object({
  id: z.string(),
  topic: PushTopic,
  /** Unix seconds, the relay's. */
  time: z.number().int(),
  message: z.string(),
  title: z.string().nullable(),
  /** Tags as published; a tag that is an emoji short code is shown as the emoji. */
  tags: z.array(z.string()),
  /** 1 (min) … 5 (max); 3 when none was given. */
  priority: z.number().int().min(1).max(5),
  /** An http(s) URL to open when the person clicks (never opened by itself). */
  click: z.string().nullable(),
  /** The message is Markdown (render it safely). */
  markdown: z.boolean(),
  read: z.boolean(),
  /** ntfy's attachment: a file at `url` (on the relay, or elsewhere), opened only when the person clicks. */
  attachment: PushAttachment.nullable(),
});
export type PushItem = z.infer<typeof PushItem>;

export const PushSubscription = z.object({
  topic: PushTopic,
  muted: z.boolean(),
  /** OS notifications for pushes of at least this priority (3: default and above). */
  minPriority: z.number().int().min(1).max(5),
});
export type PushSubscription = z.infer<typeof PushSubscription>;

export const pushChannels = {
  /** The notification center: newest first, optionally one topic's. */
  'push:list': {
    request: z.object({ topic: PushTopic.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    response: z.array(PushItem),
  },
  /** Marks pushes read: these ids, or a whole topic, or everything. */
  'push:markRead': {
    request: z.union([
      z.object({ ids: z.array(z.string().max(64)).min(1).max(1000) }).strict(),
      z.object({ topic: PushTopic }).strict(),
      z.object({ all: z.literal(true) }).strict(),
    ]),
    response: z.null(),
  },
  'push:delete': { request: z.object({ ids: z.array(z.string().max(64)).min(1).max(1000) }).strict(), response: z.null() },
  'push:clearTopic': { request: z.object({ topic: PushTopic }).strict(), response: z.null() },
  'push:subscriptions': { request: Empty, response: z.array(PushSubscription) },
  'push:subscribe': { request: z.object({ topic: PushTopic }).strict(), response: PushSubscription },
  'push:unsubscribe': { request: z.object({ topic: PushTopic }).strict(), response: z.null() },
  'push:setMuted': { request: z.object({ topic: PushTopic, muted: z.boolean() }).strict(), response: PushSubscription },
  'push:setMinPriority': {
    request: z.object({ topic: PushTopic, minPriority: z.number().int().min(1).max(5) }).strict(),
    response: PushSubscription,
  },
} as const;

export const pushEvents = {
  /** A push arrived (or changed: read). */
  push: PushItem,
  'push-removed': z.object({ ids: z.array(z.string()) }),
  'push-subscriptions': z.array(PushSubscription),
  /** The user clicked an OS notification of a push: show it in the notification center. */
  'open-push': z.object({ id: z.string() }),
} as const;
