// The conversation list's one-line preview of a message that is only files (its text is empty): what
// the files are, since there is no text to show. The list's lastMessage carries only the text, so the
// files come from the messages the page holds for that conversation, when it holds the newest one.
import type { AttachmentKind } from '../../../shared/attachment.js';
import type { ChatMessage } from '../../../shared/ipc.js';

export type FilesPreview =
  | { kind: 'photo' | 'video' | 'voice'; count: number }
  | { kind: 'file'; name: string; count: number }
  | { kind: 'unknown' };

/** What to say of the newest message when its text is empty; `held`: the conversation's messages in display order. */
export function filesPreview(held: readonly ChatMessage[] | undefined, lastAt: number): FilesPreview {
  const newest = held?.findLast((m) => m.kind === 'text');
  const files = newest && newest.text === '' && (newest.serverTime ?? newest.sentAt) === lastAt ? newest.attachments ?? [] : [];
  if (files.length === 0) return { kind: 'unknown' };
  const kinds = new Set<AttachmentKind>(files.map((f) => f.kind));
  const only = kinds.size === 1 ? files[0]!.kind : null;
  if (only === 'image') return { kind: 'photo', count: files.length };
  if (only === 'video') return { kind: 'video', count: files.length };
  if (only === 'voice') return { kind: 'voice', count: files.length };
  return { kind: 'file', name: files[0]!.name, count: files.length };
}
