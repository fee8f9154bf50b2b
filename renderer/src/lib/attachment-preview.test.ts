import { describe, expect, it } from 'vitest';
import type { AttachmentView } from '../../../shared/attachment.js';
import type { ChatMessage } from '../../../shared/ipc.js';
import { filesPreview } from './attachment-preview.js';

const file = (kind: AttachmentView['kind'], name: string): AttachmentView => ({
  id: 'A'.repeat(22),
  messageId: 'm1',
  type: 'application/octet-stream',
  name,
  kind,
  size: 10,
  state: 'remote',
  transferred: 0,
  cipherSize: 51,
  error: null,
});

const message = (attachments: AttachmentView[], text = '', serverTime: number | null = 100): ChatMessage =>
  ({ id: 'm1', conversationId: 'bob', kind: 'text', text, sentAt: 90, serverTime, outgoing: false, attachments }) as unknown as ChatMessage;

describe('filesPreview', () => {
  it('names what the newest message carries when it has no text', () => {
    expect(filesPreview([message([file('image', 'a.jpg')])], 100)).toEqual({ kind: 'photo', count: 1 });
    expect(filesPreview([message([file('video', 'a.webm'), file('video', 'b.webm')])], 100)).toEqual({ kind: 'video', count: 2 });
    expect(filesPreview([message([file('voice', 'voice.ogg')])], 100)).toEqual({ kind: 'voice', count: 1 });
    expect(filesPreview([message([file('file', 'report.pdf'), file('image', 'a.jpg')])], 100)).toEqual({ kind: 'file', name: 'report.pdf', count: 2 });
  });

  it('says only "attachment" when the page does not hold that newest message', () => {
    expect(filesPreview(undefined, 100)).toEqual({ kind: 'unknown' });
    expect(filesPreview([message([file('image', 'a.jpg')])], 200)).toEqual({ kind: 'unknown' });
    expect(filesPreview([message([file('image', 'a.jpg')], 'a caption')], 100)).toEqual({ kind: 'unknown' });
  });

  it('reads a message still being sent by its own time', () => {
    expect(filesPreview([message([file('image', 'a.jpg')], '', null)], 90)).toEqual({ kind: 'photo', count: 1 });
  });
});
