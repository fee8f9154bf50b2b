// The attachment channels of the IPC contract, as a page uses them, on the client service over a
// real relay: a file streamed in pieces is staged, sent with a message, announced by events, and
// fetched by the other side on request.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_STAGINGS } from '../../core/service-attachments.js';
import type { AttachmentView } from '../../shared/attachment.js';
import type { IpcEventMessage } from '../../shared/ipc-transport.js';
import { STAGE_PIECE_BYTES } from '../../shared/ipc-attachments.js';
import { httpUrl, onlineService, relayIn, tempDir, useCleanups, waitFor } from '../helpers.js';

const cleanups = useCleanups();

const service = (dir: string, serverUrl: string, username: string) => onlineService(cleanups, dir, serverUrl, username);

const attachmentEvents = (events: IpcEventMessage[]): AttachmentView[] =>
  events.filter((e): e is Extract<IpcEventMessage, { event: 'attachment' }> => e.event === 'attachment').map((e) => e.payload);

describe('attachments over IPC', () => {
  it('stages a file sent in pieces, sends it, and the other side downloads it by request', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const alice = await service(dir, httpUrl(relay), 'alice');
    const bob = await service(dir, httpUrl(relay), 'bob');
    const bytes = randomBytes(2 * STAGE_PIECE_BYTES + 12345);

    const { stagingId } = await alice.s.call('attachments:stageBegin', { name: 'scan.pdf', type: 'application/pdf', size: bytes.length });
    for (let at = 0; at < bytes.length; at += STAGE_PIECE_BYTES) {
      await alice.s.call('attachments:stagePiece', { stagingId, bytes: bytes.subarray(at, at + STAGE_PIECE_BYTES) });
    }
    const staged = await alice.s.call('attachments:stageEnd', { stagingId });
    expect(staged).toMatchObject({ name: 'scan.pdf', type: 'application/pdf', kind: 'file', size: bytes.length });

    const message = await alice.s.call('messages:send', { conversationId: 'bob', text: '', attachments: [staged.stagedId] });
    expect(message).toMatchObject({ text: '', state: 'sending', attachments: [expect.objectContaining({ id: staged.stagedId, state: 'uploading' })] });
    await waitFor(() => attachmentEvents(alice.events).some((v) => v.id === staged.stagedId && v.state === 'uploaded'), 20_000, 'uploaded');
    await waitFor(() => alice.events.some((e) => e.event === 'message' && e.payload.id === message.id && e.payload.state !== 'sending'), 20_000, 'sent');

    const received = await waitFor(() => bob.events.find((e) => e.event === 'message' && e.payload.attachments !== undefined), 20_000, 'bob gets it');
    const id = (received.payload as { attachments: AttachmentView[] }).attachments[0]!.id;
    const listed = await bob.s.call('messages:list', { conversationId: 'alice' });
    expect(listed[0]!.attachments).toEqual([expect.objectContaining({ id, state: 'remote', name: 'scan.pdf', size: bytes.length })]);
    const started = await bob.s.call('attachments:download', { id });
    expect(['downloading', 'ready']).toContain(started.state);
    await waitFor(() => attachmentEvents(bob.events).some((v) => v.id === id && v.state === 'ready'), 20_000, 'ready');

    const opened = await bob.s.openAttachment(id);
    const chunks: Buffer[] = [];
    for await (const chunk of opened.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('refuses a staging over the relay limit at its start, a piece beyond the size given, and too many stagings at once', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const alice = await service(dir, httpUrl(relay), 'alice');
    await expect(alice.s.call('attachments:stageBegin', { name: 'huge.bin', type: 'application/octet-stream', size: 200 * 1024 * 1024 })).rejects.toMatchObject({
      code: 'attachment_too_large',
      params: { max: '100 MB' },
    });

    const { stagingId } = await alice.s.call('attachments:stageBegin', { name: 'small.bin', type: 'application/octet-stream', size: 10 });
    await expect(alice.s.call('attachments:stagePiece', { stagingId, bytes: new Uint8Array(11) })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(alice.s.call('attachments:stageEnd', { stagingId })).rejects.toMatchObject({ code: 'unknown_attachment' });

    const open = [];
    for (let i = 0; i < MAX_STAGINGS; i++) open.push(await alice.s.call('attachments:stageBegin', { name: `f${i}.bin`, type: 'application/octet-stream', size: 1 }));
    await expect(alice.s.call('attachments:stageBegin', { name: 'one-more.bin', type: 'application/octet-stream', size: 1 })).rejects.toMatchObject({
      code: 'rate_limited',
    });
    // A short file is refused at its end, and its staging is over.
    await expect(alice.s.call('attachments:stageEnd', { stagingId: open[0]!.stagingId })).rejects.toMatchObject({ code: 'bad_request' });
    await alice.s.call('attachments:stagePiece', { stagingId: open[1]!.stagingId, bytes: new Uint8Array([42]) });
    const staged = await alice.s.call('attachments:stageEnd', { stagingId: open[1]!.stagingId });
    expect(staged.size).toBe(1);
    expect(await alice.s.call('attachments:discard', { stagedId: staged.stagedId })).toBeNull();
    await expect(alice.s.call('messages:send', { conversationId: 'bob', text: '' })).rejects.toMatchObject({ code: 'bad_request', params: { field: 'text' } });
    await expect(alice.s.call('attachments:download', { id: 'AAAAAAAAAAAAAAAAAAAAAA' })).rejects.toMatchObject({ code: 'unknown_attachment' });
  });
});
