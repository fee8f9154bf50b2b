// Which OS notifications to show for received messages. Pure logic: Electron's main process shows
// what this returns. A backlog (after sleep or a day offline) becomes one summary, not hundreds.
import type { ChatMessage, ConnectionState, PushItem, PushSubscription } from '../../shared/ipc.js';

export interface Notice {
  title: string;
  body: string;
  /** The conversation a click opens. */
  conversationId: string;
}

const PREVIEW_CHARS = 200;

/** An OS notification for a push: unless its topic is muted or it is below the topic's priority. */
export function pushNotice(item: PushItem, subscription: PushSubscription | undefined): { title: string; body: string; pushId: string } | null {
  if (item.read || !subscription || subscription.muted || item.priority < subscription.minPriority) return null;
  return { title: item.title ?? item.topic, body: item.message.slice(0, PREVIEW_CHARS), pushId: item.id };
}

export class NoticePolicy {
  /** True from (re)connecting until the relay says the backlog has been sent. */
  private catchingUp = true;
  private backlog: ChatMessage[] = [];

  onState(state: ConnectionState): void {
    if (state !== 'online') this.catchingUp = true;
  }

  /** A notice for this message now, or null (own message, or part of a backlog). */
  onReceived(message: ChatMessage): Notice | null {
    // Own messages from another device, membership lines and placeholders (the real message
    // notifies when it comes) are not worth an interruption.
    if (message.outgoing || message.kind !== 'text') return null;
    if (this.catchingUp) {
      this.backlog.push(message);
      return null;
    }
    return { title: message.sender, body: message.text.slice(0, PREVIEW_CHARS), conversationId: message.conversationId };
  }

  /** The backlog is in: at most one notice summarising it. */
  onDrained(): Notice | null {
    this.catchingUp = false;
    const backlog = this.backlog;
    this.backlog = [];
    const last = backlog.at(-1);
    if (!last) return null;
    if (backlog.length === 1) return this.onReceived(last);
    const senders = [...new Set(backlog.map((m) => m.sender))];
    return {
      title: `${backlog.length} new messages`,
      body: `from ${senders.slice(0, 3).join(', ')}${senders.length > 3 ? ` and ${senders.length - 3} more` : ''}`,
      conversationId: last.conversationId,
    };
  }
}
