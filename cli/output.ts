// How the CLI prints a message, the same for sync and history: one JSON object per line for
// scripts (--json), or one readable line for people.
import type { ChatMessage } from '../shared/ipc.js';
import { formatBytes } from '../shared/size.js';

export function messageLine(message: ChatMessage, json: boolean): string {
  if (json) {
    const { id, sender, conversationId, kind, text, sentAt, serverTime, outgoing } = message;
    // A file's id is what `warbler download ID` takes.
    const attachments = message.attachments?.map((a) => ({ id: a.id, name: a.name, size: a.size, type: a.type }));
    return JSON.stringify({ id, from: sender, conversation: conversationId, kind, outgoing, text, sentAt, serverTime, ...(attachments ? { attachments } : {}) });
  }
  const when = new Date(message.serverTime ?? message.sentAt).toLocaleString();
  return `[${when}] ${message.outgoing ? `me → ${message.conversationId}` : message.sender}: ${readable(message)}`;
}

function readable(message: ChatMessage): string {
  switch (message.kind) {
    case 'undecryptable':
      return '(could not be decrypted yet; asked the sender for it again)';
    case 'identity-changed':
      return `(the safety number with ${message.sender} changed)`;
    default:
      return [message.text, ...(message.attachments ?? []).map((a) => `[${a.kind} ${a.name}, ${formatBytes(a.size)}: warbler download ${a.id}]`)]
        .filter((part) => part !== '')
        .join(' ');
  }
}

/**
 * Resolves once the lines are handed to stdout (written to a file or pipe, not merely buffered
 * here); rejects when they cannot be, e.g. the reader is gone. What is printed is marked so only then.
 */
export function writeLines(lines: string[]): Promise<void> {
  if (lines.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    process.stdout.write(lines.map((l) => `${l}\n`).join(''), (err) => (err ? reject(err) : resolve()));
  });
}
