// The lines of a conversation's log: its messages, each day opened by a line of its own.
import type { ChatMessage } from '../../../shared/ipc.js';
import { dayOf } from './day-heading.js';

export type LogLine =
  | { kind: 'day'; key: string; at: number }
  | { kind: 'message'; key: string; message: ChatMessage };

/**
 * `moreBefore`: earlier messages exist that are not held. The first held one then opens no day (its
 * day may have begun before it), and the lines it heads stay as they are when a page comes above:
 * the list keeps the reader's place by them.
 */
export function logLines(messages: readonly ChatMessage[], moreBefore = false): LogLine[] {
  const lines: LogLine[] = [];
  let day: string | null = moreBefore && messages[0] ? dayOf(messages[0].sentAt) : null;
  for (const message of messages) {
    const today = dayOf(message.sentAt);
    if (today !== day) {
      // Keyed by the message it opens: clocks that disagree can make one day start twice.
      lines.push({ kind: 'day', key: `day:${message.id}`, at: message.sentAt });
      day = today;
    }
    lines.push({ kind: 'message', key: message.id, message });
  }
  return lines;
}

/** Where this message's line is, or -1. */
export function lineOf(lines: readonly LogLine[], messageId: string): number {
  return lines.findIndex((l) => l.kind === 'message' && l.message.id === messageId);
}
