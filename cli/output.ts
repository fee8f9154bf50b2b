// How the CLI prints a message, the same for sync and history: one JSON object per line for
// scripts (--json), or one readable line for people.
import type { ChatMessage } from '../shared/ipc.js';
import { formatBytes } from '../shared/size.js';
import type { LoggedAction } from '../core/message-actions/store.js';

/** A message as it stands now: its text as last edited, its reactions, and what it answers. */
export function messageLine(message: ChatMessage, json: boolean): string {
  if (json) {
    const { id, sender, conversationId, kind, text, sentAt, serverTime, outgoing, replyTo, forwarded, reactions, editedAt, deletedAt, timerChange, expiresIn } = message;
    // A file's id is what `warbler download ID` takes.
    const attachments = message.attachments?.map((a) => ({ id: a.id, name: a.name, size: a.size, type: a.type }));
    return JSON.stringify({
      id,
      from: sender,
      conversation: conversationId,
      kind: deletedAt === undefined ? kind : 'deleted',
      outgoing,
      text,
      sentAt,
      serverTime,
      ...(attachments ? { attachments } : {}),
      ...(replyTo ? { replyTo } : {}),
      ...(forwarded ? { forwarded } : {}),
      ...(reactions ? { reactions } : {}),
      ...(editedAt !== undefined ? { editedAt } : {}),
      ...(timerChange ? { timer: timerChange.expiresIn } : {}),
      ...(expiresIn !== undefined ? { expiresIn } : {}),
    });
  }
  const when = new Date(message.serverTime ?? message.sentAt).toLocaleString();
  const reply = message.replyTo ? `(to ${message.replyTo.from}: “${oneLine(message.replyTo.text, 40)}”) ` : message.forwarded ? '(forwarded) ' : '';
  const reactions = message.reactions?.length ? ` [${message.reactions.map((r) => `${r.emoji} ${r.from}`).join(', ')}]` : '';
  return `[${when}] ${message.outgoing ? `me → ${message.conversationId}` : message.sender}: ${reply}${readable(message)}${message.editedAt ? ' (edited)' : ''}${reactions}`;
}

/** A reaction, edit or deletion received, as its own kind of line. */
export function actionLine(action: LoggedAction, json: boolean): string {
  const { id, kind, sender, conversationId, target, value, sentAt, serverTime } = action;
  if (json) {
    const what = kind === 'reaction' ? { emoji: value } : kind === 'edit' ? { text: value } : { forEveryone: value === 'everyone' };
    return JSON.stringify({ id, kind, from: sender, conversation: conversationId, target, ...what, sentAt, serverTime });
  }
  const when = new Date(serverTime ?? sentAt).toLocaleString();
  const did =
    kind === 'reaction'
      ? value === null ? `took back a reaction to ${target}` : `reacted ${value} to ${target}`
      : kind === 'edit'
        ? `edited ${target}: ${value ?? '(since deleted)'}`
        : `deleted ${target}${value === 'everyone' ? ' for everyone' : ' (for themselves)'}`;
  return `[${when}] ${sender} in ${conversationId} ${did}`;
}

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ');
  return [...flat].length > max ? `${[...flat].slice(0, max).join('')}…` : flat;
};

function readable(message: ChatMessage): string {
  if (message.deletedAt !== undefined) return '(this message was deleted)';
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
