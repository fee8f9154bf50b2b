// Which OS notifications to show, and what they say. Electron's Notification (and the web host's
// in-page toast) sit behind NotificationSink, so the rules run and are tested under plain Node:
// - nothing for the conversation the person is looking at,
// - one notification per conversation: a new message replaces it with a count ("3 new messages"),
// - a backlog (after sleep or a day offline) becomes one per conversation, or one summary,
// - what a notification shows follows the privacy setting; do not disturb silences all but max pushes,
// - a notification goes away once its conversation or push has been seen.
import { mentions } from '../shared/mentions.js';
import { chatPlainText } from '../shared/chat-text.js';
import type { ChatMessage, ConnectionState, PushItem, PushSubscription } from '../shared/ipc.js';
import { dndActive, type DesktopSettings } from '../shared/desktop-settings.js';
import { ENGLISH, type ShellStrings } from './strings.js';

export type NoticeTarget = { conversationId: string } | { pushId: string };

export interface NotificationRequest {
  title: string;
  body: string;
  /** Critical stays on screen (max-priority pushes). */
  urgency: 'normal' | 'critical';
  /** No sound (low-priority pushes). */
  silent: boolean;
  /** A push's priority (1–5), which an in-page toast shows by colour; none for a message. */
  priority?: number;
  target: NoticeTarget;
  onClick(): void;
  /** Dismissed by the person or by the OS. */
  onClose(): void;
}

export interface ShownNotification {
  close(): void;
}

export interface NotificationSink {
  show(request: NotificationRequest): ShownNotification;
}

export interface NotifierDeps {
  sink: NotificationSink;
  settings(): DesktopSettings;
  /** The conversation in view and whether its window has focus. */
  viewing(): { conversationId: string | null; focused: boolean };
  /** The person muted this conversation (until a time not yet come). */
  muted(conversationId: string): boolean;
  /** This person's username, for the @mentions that notify even in a muted conversation. */
  me(): string | undefined;
  /** A group's name; undefined for a direct conversation. */
  groupTitle(conversationId: string): string | undefined;
  subscription(topic: string): PushSubscription | undefined;
  open(target: NoticeTarget): void;
  now?: () => Date;
  strings?: ShellStrings;
}

const PREVIEW_CHARS = 200;
/** More conversations than this in one backlog: one summary instead of a notification each. */
export const MAX_BACKLOG_NOTIFICATIONS = 3;

interface Pending {
  count: number;
  last: ChatMessage;
  shown: ShownNotification;
}

export class Notifier {
  /** True from (re)connecting until the relay says the backlog has been sent. */
  private catchingUp = true;
  private backlog: ChatMessage[] = [];
  private readonly byConversation = new Map<string, Pending>();
  private readonly byPush = new Map<string, ShownNotification>();
  private summary: ShownNotification | undefined;
  private readonly now: () => Date;
  private readonly text: ShellStrings;

  constructor(private readonly deps: NotifierDeps) {
    this.now = deps.now ?? (() => new Date());
    this.text = deps.strings ?? ENGLISH;
  }

  onState(state: ConnectionState): void {
    if (state !== 'online') this.catchingUp = true;
  }

  onReceived(message: ChatMessage): void {
    // Own messages from another device, membership lines and placeholders (the real message
    // notifies when it comes) are not worth an interruption, nor a message deleted before it came.
    if (message.outgoing || message.kind !== 'text' || message.deletedAt !== undefined) return;
    const me = this.deps.me();
    if (this.deps.muted(message.conversationId) && !(me && mentions(message.text, me))) return;
    if (this.inView(message.conversationId)) return;
    if (this.catchingUp) {
      this.backlog.push(message);
      return;
    }
    if (!this.allowed(false)) return;
    this.showConversation(message, (this.byConversation.get(message.conversationId)?.count ?? 0) + 1);
  }

  /** The backlog is in: a notification per conversation, or one summary when it spans many. */
  onDrained(): void {
    this.catchingUp = false;
    const backlog = this.backlog.filter((m) => !this.inView(m.conversationId));
    this.backlog = [];
    if (backlog.length === 0 || !this.allowed(false)) return;
    const groups = new Map<string, ChatMessage[]>();
    for (const message of backlog) groups.set(message.conversationId, [...(groups.get(message.conversationId) ?? []), message]);
    if (groups.size <= MAX_BACKLOG_NOTIFICATIONS) {
      for (const [id, messages] of groups) {
        this.showConversation(messages.at(-1) as ChatMessage, (this.byConversation.get(id)?.count ?? 0) + messages.length);
      }
      return;
    }
    const last = backlog.at(-1) as ChatMessage;
    const senders = [...new Set(backlog.map((m) => m.sender))];
    const hide = this.deps.settings().notifications.content === 'nothing';
    this.summary?.close();
    const target = { conversationId: last.conversationId };
    const shown = this.deps.sink.show({
      title: this.text.newMessages(backlog.length),
      body: hide ? this.text.inConversations(groups.size) : this.text.fromSenders(senders.slice(0, 3), Math.max(0, senders.length - 3)),
      urgency: 'normal',
      silent: false,
      target,
      onClick: () => {
        if (this.summary === shown) this.summary = undefined;
        this.deps.open(target);
      },
      onClose: () => {
        if (this.summary === shown) this.summary = undefined;
      },
    });
    this.summary = shown;
  }

  /** A push was stored or changed: notify a new one its subscription wants, dismiss a read one. */
  onPush(item: PushItem): void {
    if (item.read) return this.onPushSeen(item.id);
    if (this.byPush.has(item.id)) return;
    const subscription = this.deps.subscription(item.topic);
    if (!subscription || subscription.muted || item.priority < subscription.minPriority) return;
    if (!this.allowed(item.priority >= 5)) return;
    const content = this.deps.settings().notifications.content;
    const heading = item.title ?? item.topic;
    const target = { pushId: item.id };
    const shown = this.deps.sink.show({
      title: content === 'nothing' ? this.text.app : heading,
      body: content === 'name-and-message' ? preview(item.markdown ? chatPlainText(item.message) : item.message) : this.text.newNotification,
      urgency: item.priority >= 5 ? 'critical' : 'normal',
      silent: item.priority <= 2,
      priority: item.priority,
      target,
      onClick: () => {
        this.forgetPush(item.id, shown);
        this.deps.open(target);
      },
      onClose: () => this.forgetPush(item.id, shown),
    });
    this.byPush.set(item.id, shown);
  }

  onPushSeen(id: string): void {
    this.byPush.get(id)?.close();
    this.byPush.delete(id);
  }

  /** Read here or on another device, or opened: its notification has done its job. */
  onConversationSeen(conversationId: string): void {
    const pending = this.byConversation.get(conversationId);
    if (!pending) return;
    this.byConversation.delete(conversationId);
    pending.shown.close();
  }

  /**
   * A message was deleted for everyone, disappeared, or was deleted here: a notification still
   * showing its text goes (one that counts several messages shows the newest, so only that one's).
   * One still waiting in the backlog is dropped.
   */
  onMessageGone(conversationId: string, messageId: string): void {
    this.backlog = this.backlog.filter((m) => m.id !== messageId);
    if (this.byConversation.get(conversationId)?.last.id === messageId) this.onConversationSeen(conversationId);
  }

  onViewing(viewing: { conversationId: string | null; focused: boolean }): void {
    if (viewing.focused && viewing.conversationId) this.onConversationSeen(viewing.conversationId);
  }

  /** Closes everything (quit, or the profile went away). */
  clear(): void {
    for (const id of [...this.byConversation.keys()]) this.onConversationSeen(id);
    for (const id of [...this.byPush.keys()]) this.onPushSeen(id);
    this.summary?.close();
    this.summary = undefined;
  }

  private inView(conversationId: string): boolean {
    const viewing = this.deps.viewing();
    return viewing.focused && viewing.conversationId === conversationId;
  }

  private allowed(maxPriority: boolean): boolean {
    const settings = this.deps.settings();
    if (!settings.notifications.enabled) return false;
    if (!dndActive(settings.dnd, this.now())) return true;
    return maxPriority && settings.dnd.allowMax;
  }

  private showConversation(last: ChatMessage, count: number): void {
    const id = last.conversationId;
    const previous = this.byConversation.get(id);
    const target = { conversationId: id };
    const { title, body } = this.describe(last, count);
    // Replace, not add: the OS keeps one notification per conversation.
    this.byConversation.delete(id);
    previous?.shown.close();
    const shown = this.deps.sink.show({
      title,
      body,
      urgency: 'normal',
      silent: false,
      target,
      onClick: () => {
        if (this.byConversation.get(id)?.shown === shown) this.byConversation.delete(id);
        this.deps.open(target);
      },
      onClose: () => {
        if (this.byConversation.get(id)?.shown === shown) this.byConversation.delete(id);
      },
    });
    this.byConversation.set(id, { count, last, shown });
  }

  private describe(last: ChatMessage, count: number): { title: string; body: string } {
    const content = this.deps.settings().notifications.content;
    const counted = count > 1 ? this.text.newMessages(count) : this.text.newMessage;
    if (content === 'nothing') return { title: this.text.app, body: counted };
    const group = this.deps.groupTitle(last.conversationId);
    const name = group ?? last.sender;
    const title = count > 1 ? this.text.withCount(name, count) : name;
    if (content === 'name-only') return { title, body: group ? this.text.fromSenders([last.sender], 0) : counted };
    // A message's Markdown marks are for the app to draw; a notification shows the words.
    const words = preview(chatPlainText(last.text));
    return { title, body: group ? `${last.sender}: ${words}` : words };
  }

  private forgetPush(id: string, shown: ShownNotification): void {
    if (this.byPush.get(id) === shown) this.byPush.delete(id);
  }
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}
