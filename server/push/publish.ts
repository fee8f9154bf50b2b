// What a publisher sent (path, headers, query, body, or the JSON form) → a validated push, or a
// clear error naming the field. Every header has its query-parameter forms, as in ntfy.
import { z } from 'zod';
import { describeZodError } from '../../shared/protocol.js';
import type { HttpErrorCode } from '../../shared/errors.js';
import { HttpError } from './http-error.js';
import { MAX_MESSAGE_BYTES, PushAction, Topic } from './message.js';
import type { PushAttachment } from '../../shared/push.js';

/** Delays ntfy accepts: at least 10 seconds, at most 3 days. */
const MIN_DELAY_S = 10;
const MAX_DELAY_S = 3 * 86_400;

export interface PushInput {
  topic: string;
  message: string;
  title?: string;
  tags?: string[];
  priority?: number;
  click?: string;
  actions?: PushAction[];
  icon?: string;
  markdown?: boolean;
  /** Unix seconds when it is to be delivered; absent for now. */
  at?: number;
  /** False: delivered to whoever is subscribed now, never cached. */
  cache: boolean;
  /** Set when the relay chose the id first (a stored attachment is named by it). */
  id?: string;
  attachment?: PushAttachment;
}

/** What a publisher sent is refused: the code says why, the field where. */
export class PublishError extends HttpError {
  declare readonly field: string;
  constructor(code: HttpErrorCode, field: string, message: string) {
    super(code, message, field);
  }
}

/** Header names (lowercase) and query names for each field, as ntfy accepts them. */
const NAMES = {
  title: { headers: ['x-title', 'title', 't'], query: ['title', 't'] },
  priority: { headers: ['x-priority', 'priority', 'prio', 'p'], query: ['priority', 'prio', 'p'] },
  tags: { headers: ['x-tags', 'tags', 'tag', 'ta'], query: ['tags', 'tag', 'ta'] },
  click: { headers: ['x-click', 'click'], query: ['click'] },
  markdown: { headers: ['x-markdown', 'markdown', 'md'], query: ['markdown', 'md'] },
  delay: { headers: ['x-delay', 'delay', 'x-at', 'at', 'x-in', 'in'], query: ['delay', 'at', 'in'] },
  cache: { headers: ['x-cache', 'cache'], query: ['cache'] },
  actions: { headers: ['x-actions', 'actions', 'action'], query: ['actions', 'action'] },
  icon: { headers: ['x-icon', 'icon'], query: ['icon'] },
  message: { headers: ['x-message', 'message', 'm'], query: ['message', 'msg', 'm'] },
  filename: { headers: ['x-filename', 'filename', 'file', 'f'], query: ['filename', 'file', 'f'] },
  attach: { headers: ['x-attach', 'attach', 'a'], query: ['attach', 'a'] },
} as const;

type Field = keyof typeof NAMES;

/** A header or query field of a publish (its first value). */
export function field(name: Field, headers: Params, query: Params): string | undefined {
  return pick(name, headers, query);
}

/** An external attachment (Attach: URL): named by Filename, else by the URL's last path segment. */
export function externalAttachment(url: string, filename: string | undefined): PushAttachment {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url) || url.length > 2048) {
    throw new PublishError('bad_attachment_url', 'attach', 'the attachment URL must be an http(s) URL');
  }
  const last = new URL(url).pathname.split('/').pop() ?? '';
  let fromUrl: string;
  try {
    fromUrl = decodeURIComponent(last);
  } catch {
    // Escapes that are not UTF-8 (%FF): the name is shown as the URL has it.
    fromUrl = last;
  }
  return { name: (filename ?? fromUrl).slice(0, 255) || 'attachment', url };
}
export type Params = Record<string, string | string[] | undefined>;

function pick(field: Field, headers: Params, query: Params): string | undefined {
  for (const name of NAMES[field].query) {
    const value = query[name];
    if (value !== undefined) return Array.isArray(value) ? value[0] : value;
  }
  for (const name of NAMES[field].headers) {
    const value = headers[name];
    if (value !== undefined) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

// A Map, not an object: a name like "__proto__" or "constructor" must not find anything.
const PRIORITIES = new Map([
  ['min', 1],
  ['low', 2],
  ['default', 3],
  ['high', 4],
  ['max', 5],
  ['urgent', 5],
]);

export function parsePriority(value: string): number {
  const named = PRIORITIES.get(value.trim().toLowerCase());
  if (named !== undefined) return named;
  if (/^[1-5]$/.test(value.trim())) return Number(value.trim());
  throw new PublishError('bad_priority', 'priority', `invalid priority "${value}": use 1–5 or min, low, default, high, max, urgent`);
}

const truthy = (value: string): boolean => ['1', 'yes', 'true'].includes(value.trim().toLowerCase());

const DURATION = /^(\d+)\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days)$/i;
const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Unix seconds when a delayed message is due: a duration ("30m") or a Unix time. */
export function parseDelay(value: string, nowS: number): number {
  const text = value.trim();
  let at: number | undefined;
  const duration = DURATION.exec(text);
  if (duration) at = nowS + Number(duration[1]) * UNIT_S[duration[2]![0]!.toLowerCase()]!;
  else if (/^\d{9,11}$/.test(text)) at = Number(text);
  if (at === undefined) throw new PublishError('bad_delay', 'delay', `invalid delay "${value}": use a duration like 30m or a Unix time`);
  if (at - nowS < MIN_DELAY_S) throw new PublishError('delay_too_small', 'delay', 'a delay must be at least 10 seconds');
  if (at - nowS > MAX_DELAY_S) throw new PublishError('delay_too_large', 'delay', 'a delay may be at most 3 days');
  return at;
}

/** ntfy's short action format ("view, Open, https://…; http, Close, https://…") or JSON. */
export function parseActions(value: string): PushAction[] {
  const text = value.trim();
  let raw: unknown;
  if (text.startsWith('[')) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new PublishError('bad_actions', 'actions', 'actions are not valid JSON');
    }
  } else {
    raw = text
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [action, label, url, ...rest] = part.split(',').map((s) => s.trim());
        const extra = Object.fromEntries(rest.map((kv) => kv.split('=').map((s) => s.trim())).filter((kv) => kv.length === 2));
        return { action, label, url, ...(extra.method ? { method: extra.method } : {}), ...(extra.body ? { body: extra.body } : {}), ...(extra.clear ? { clear: truthy(extra.clear) } : {}) };
      });
  }
  const parsed = z.array(PushAction).max(3).safeParse(raw);
  if (!parsed.success) throw new PublishError('bad_actions', 'actions', `invalid actions: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

function checkUrl(field: 'click' | 'icon', value: string): string {
  if (!/^https?:\/\//i.test(value) || !URL.canParse(value)) throw new PublishError(field === 'click' ? 'bad_click' : 'bad_icon', field, `${field} must be an http(s) URL`);
  return value;
}

export function parseTopic(topic: string): string {
  const parsed = Topic.safeParse(topic);
  if (!parsed.success) throw new PublishError('bad_topic', 'topic', `invalid topic "${topic.slice(0, 80)}": ${describeZodError(parsed.error)}`);
  return parsed.data;
}

function checkMessage(raw: string): string {
  if (Buffer.byteLength(raw, 'utf8') > MAX_MESSAGE_BYTES) {
    throw new PublishError('push_too_large', 'message', `a message may be at most ${MAX_MESSAGE_BYTES} bytes`);
  }
  // A heredoc or `echo |` ends with a newline nobody means to show.
  const message = raw.replace(/\s+$/, '');
  // ntfy's convention: an empty publish is a trigger.
  return message.length > 0 ? message : 'triggered';
}

function splitTags(value: string): string[] {
  return value.split(',').map((t) => t.trim()).filter(Boolean).slice(0, 20).map((t) => t.slice(0, 64));
}

/** PUT/POST /<topic> (body is the message) and GET /<topic>/publish (?message=…). */
export function parsePublish(input: { topic: string; headers: Params; query: Params; body: string | undefined }, nowS: number): PushInput {
  const { headers, query } = input;
  const get = (field: Field) => pick(field, headers, query);
  const title = get('title');
  const priority = get('priority');
  const tags = get('tags');
  const click = get('click');
  const markdown = get('markdown');
  const delay = get('delay');
  const actions = get('actions');
  const icon = get('icon');
  return {
    topic: parseTopic(input.topic),
    message: checkMessage(get('message') ?? input.body ?? ''),
    ...(title ? { title: title.slice(0, 256) } : {}),
    ...(priority ? { priority: parsePriority(priority) } : {}),
    ...(tags ? { tags: splitTags(tags) } : {}),
    ...(click ? { click: checkUrl('click', click) } : {}),
    ...(markdown && truthy(markdown) ? { markdown: true } : {}),
    ...(delay ? { at: parseDelay(delay, nowS) } : {}),
    ...(actions ? { actions: parseActions(actions) } : {}),
    ...(icon ? { icon: checkUrl('icon', icon) } : {}),
    cache: get('cache')?.trim().toLowerCase() !== 'no',
  };
}

const JsonPublish = z.object({
  topic: z.string(),
  message: z.string().optional(),
  title: z.string().optional(),
  tags: z.array(z.string()).optional(),
  priority: z.union([z.number().int(), z.string()]).optional(),
  click: z.string().optional(),
  actions: z.array(z.unknown()).optional(),
  markdown: z.boolean().optional(),
  icon: z.string().optional(),
  delay: z.string().optional(),
  attach: z.string().optional(),
  filename: z.string().optional(),
});

/** POST / with {topic, message, title, tags, priority, click, actions, markdown, delay}. */
export function parseJsonPublish(body: unknown, nowS: number): PushInput {
  const parsed = JsonPublish.safeParse(body);
  if (!parsed.success) throw new PublishError('bad_publish', parsed.error.issues[0]?.path.join('.') || 'body', describeZodError(parsed.error));
  const j = parsed.data;
  const attachment = j.attach ? externalAttachment(j.attach, j.filename) : undefined;
  return {
    topic: parseTopic(j.topic),
    // ntfy names the file in the message when the publisher wrote none.
    message: attachment && !j.message?.trim() ? `You received a file: ${attachment.name}` : checkMessage(j.message ?? ''),
    ...(j.title ? { title: j.title.slice(0, 256) } : {}),
    ...(j.priority !== undefined ? { priority: parsePriority(String(j.priority)) } : {}),
    ...(j.tags ? { tags: splitTags(j.tags.join(',')) } : {}),
    ...(j.click ? { click: checkUrl('click', j.click) } : {}),
    ...(j.markdown ? { markdown: true } : {}),
    ...(j.delay ? { at: parseDelay(j.delay, nowS) } : {}),
    ...(j.actions ? { actions: parseActions(JSON.stringify(j.actions)) } : {}),
    ...(j.icon ? { icon: checkUrl('icon', j.icon) } : {}),
    ...(attachment ? { attachment } : {}),
    cache: true,
  };
}
