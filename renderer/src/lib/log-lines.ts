// The lines of a conversation's log: its messages, each day opened by a line of its own.
import type { ChatMessage } from '../../../shared/ipc.js';
import { dayOf } from './day-heading.js';

/**
 * Where a message stands in a run of messages from one person written close together: drawn as one
 * block, the name over its first, the tail on its last. Undefined: a message alone.
 */
export type RunPlace = 'start' | 'middle' | 'end';

export type LogLine =
  | { kind: 'day'; key: string; at: number }
  | { kind: 'unread'; key: string }
  | { kind: 'message'; key: string; message: ChatMessage; run?: RunPlace };

/** How far apart two messages of one person may be written and still be one run. */
export const RUN_GAP_MS = 5 * 60_000;

/** Messages, not the lines about them (group events, notices), make runs. */
const chatty = (m: ChatMessage) => m.kind === 'text';

function continues(previous: LogLine | undefined, m: ChatMessage): boolean {
  if (previous?.kind !== 'message') return false;
  const p = previous.message;
  return chatty(p) && chatty(m) && p.outgoing === m.outgoing && p.sender === m.sender && m.sentAt - p.sentAt < RUN_GAP_MS;
}

/**
 * `moreBefore`: earlier messages exist that are not held. The first held one then opens no day (its
 * day may have begun before it), and the lines it heads stay as they are when a page comes above:
 * the list keeps the reader's place by them.
 */
export function logLines(messages: readonly ChatMessage[], moreBefore = false, firstUnread: string | null = null): LogLine[] {
  const lines: LogLine[] = [];
  let day: string | null = moreBefore && messages[0] ? dayOf(messages[0].sentAt) : null;
  for (const message of messages) {
    const today = dayOf(message.sentAt);
    if (today !== day) {
      // Keyed by the message it opens: clocks that disagree can make one day start twice.
      lines.push({ kind: 'day', key: `day:${message.id}`, at: message.sentAt });
      day = today;
    }
    if (message.id === firstUnread) lines.push({ kind: 'unread', key: 'unread' });
    const previous = lines[lines.length - 1];
    if (continues(previous, message)) {
      const before = previous as Extract<LogLine, { kind: 'message' }>;
      before.run = before.run === undefined ? 'start' : 'middle';
      lines.push({ kind: 'message', key: message.id, message, run: 'end' });
    } else {
      lines.push({ kind: 'message', key: message.id, message });
    }
  }
  return lines;
}

/** Where this message's line is, or -1. */
export function lineOf(lines: readonly LogLine[], messageId: string): number {
  return lines.findIndex((l) => l.kind === 'message' && l.message.id === messageId);
}

/** The first of the last `count` messages others wrote (those unread when the log opened), if held. */
export function firstUnreadOf(messages: readonly ChatMessage[], count: number): string | null {
  if (count <= 0) return null;
  let left = count;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.outgoing) continue;
    if (--left === 0) return messages[i]!.id;
  }
  return null;
}
