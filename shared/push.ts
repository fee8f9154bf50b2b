// A push message as the relay stores and serves it: ntfy's JSON message format, so scripts and
// apps written for ntfy read Warbler's unchanged. Shared: the app validates what it receives with it.
import { z } from 'zod';

export const TOPIC_PATTERN = /^[-_A-Za-z0-9]{1,64}$/;
export const Topic = z.string().regex(TOPIC_PATTERN, 'a topic is 1–64 letters, digits, "-" or "_"');
/** Message bodies larger than this are refused (413), as ntfy does for non-attachment messages. */
export const MAX_MESSAGE_BYTES = 4096;

export const PushAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('view'), label: z.string().min(1).max(64), url: z.string().url(), clear: z.boolean().optional() }),
  z.object({
    action: z.literal('http'),
    label: z.string().min(1).max(64),
    url: z.string().url(),
    method: z.string().max(10).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.string().max(MAX_MESSAGE_BYTES).optional(),
    clear: z.boolean().optional(),
  }),
]);
export type PushAction = z.infer<typeof PushAction>;

export const PushAttachment = z.object({
  name: z.string().max(255),
  type: z.string().max(127).optional(),
  size: z.number().int().nonnegative().optional(),
  /** Unix seconds. */
  expires: z.number().int().optional(),
  url: z.string().url().max(2048),
});
export type PushAttachment = z.infer<typeof PushAttachment>;

export const PushMessage = z.object({
  id: z.string(),
  /** Unix seconds: when it was published, or when it is due (a delayed message). */
  time: z.number().int(),
  /** Unix seconds: when it leaves the cache. */
  expires: z.number().int(),
  event: z.literal('message'),
  topic: Topic,
  message: z.string(),
  title: z.string().optional(),
  tags: z.array(z.string()).optional(),
  priority: z.number().int().min(1).max(5).optional(),
  click: z.string().optional(),
  actions: z.array(PushAction).optional(),
  icon: z.string().optional(),
  /** 'text/markdown' when the message is Markdown. */
  content_type: z.literal('text/markdown').optional(),
  /** ntfy's attachment: a file the relay keeps (type, size and expires set) or an external URL (name and url only). */
  attachment: PushAttachment.optional(),
});
export type PushMessage = z.infer<typeof PushMessage>;

/** What a relay signs for each push it sends the app: the message's JSON, exactly as sent. */
export function pushSignaturePayload(json: string): Uint8Array {
  return new TextEncoder().encode(`warbler-push-v1\n${json}`);
}

/** Images attached to pushes that the app previews (fetched by the core from the relay; never SVG, which can carry script). */
export const PUSH_PREVIEW_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
/** Larger images are offered as a file to open instead (ntfy's default file limit). */
export const PUSH_PREVIEW_MAX_BYTES = 15 * 1024 * 1024;
/** Where the hosts serve a push's image preview to the page, on its own origin. */
export const PUSH_ATTACHMENTS_PATH = '/push-attachments/';

/** True when the app shows this attachment as an image (the host may still fail to fetch it). */
export function isPushPreview(attachment: PushAttachment | null | undefined): boolean {
  return (
    !!attachment &&
    attachment.type !== undefined &&
    (PUSH_PREVIEW_TYPES as readonly string[]).includes(attachment.type) &&
    attachment.size !== undefined &&
    attachment.size <= PUSH_PREVIEW_MAX_BYTES
  );
}
