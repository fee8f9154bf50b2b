// Uploads resume where the relay's copy ends: after kill -9 of the relay (a process of its own)
// half way through, and after the sender itself is closed half way through and opened again. A
// proxy slows uploads down so that "half way" can be caught on loopback.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRelayProcess, type RelayProcess } from '../../bench/process.js';
import { WarblerClient } from '../../core/client.js';
import type { AttachmentView } from '../../shared/attachment.js';
import type { ChatMessage } from '../../shared/ipc.js';
import { reaches, sha256, slowProxy, whenAttachment } from '../attachment-fixture.js';
import { randomFile } from '../../bench/random-file.js';
import { httpUrl, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';

const cleanups = useCleanups();
const MB = 1024 * 1024;
/** Uploads through the proxy: 50 MB take about 2.5 s. */
const UPLOAD_RATE = 20 * MB;

async function client(dir: string, url: string, name: string, register: boolean) {
  const c = register ? await WarblerClient.register(path.join(dir, name), url, name) : await WarblerClient.open(path.join(dir, name), { serverUrl: url });
  cleanups.push(() => c.close());
  const received: ChatMessage[] = [];
  c.on('received', (m) => received.push(m));
  c.start();
  await c.waitOnline(10_000);
  return { client: c, received };
}

async function relayProcess(dir: string, port?: number): Promise<RelayProcess> {
  const relay = await startRelayProcess(path.join(dir, 'relay'), port);
  cleanups.push(() => relay.stop());
  return relay;
}

/** bob fetches the file of the first message with one, and it is the original. */
async function arrivesIntact(bob: { client: WarblerClient; received: ChatMessage[] }, dir: string, digest: string): Promise<void> {
  const message = await waitFor(() => bob.received.find((m) => m.attachments), 30_000, 'bob to get the message');
  const out = path.join(dir, 'received.bin');
  await bob.client.saveAttachment(message.attachments![0]!.id, out);
  expect(sha256(out)).toBe(digest);
  expect(bob.received.filter((m) => m.attachments)).toHaveLength(1);
}

describe('resumable uploads', () => {
  it('kill -9 of the relay half way through an upload: it resumes from there once the relay is back, and completes', async () => {
    const dir = tempDir();
    let relay = await relayProcess(dir);
    const proxy = await slowProxy(relay.port, UPLOAD_RATE);
    cleanups.push(() => proxy.close());
    const alice = await client(dir, proxy.url, 'alice', true);
    const bob = await client(dir, relay.url, 'bob', true);
    const original = path.join(dir, 'big.bin');
    const digest = randomFile(original, 50 * MB);
    const staged = await alice.client.stageAttachment(fs.createReadStream(original), { name: 'big.bin', type: 'application/octet-stream' });

    const half = whenAttachment(alice.client, (v) => v.id === staged.stagedId && v.transferred >= v.cipherSize / 2);
    const message = await alice.client.send('bob', 'big', { queue: true, attachments: [staged.stagedId] });
    const atKill = await half;
    relay.child.kill('SIGKILL');
    await new Promise((resolve) => relay.child.once('exit', resolve));
    expect(atKill.transferred).toBeLessThan(atKill.cipherSize);

    const progress: AttachmentView[] = [];
    alice.client.on('attachment', (v) => progress.push(v));
    relay = await relayProcess(dir, relay.port);
    alice.client.reconnectNow();
    bob.client.reconnectNow();
    await reaches(alice.client, staged.stagedId, 'uploaded', 60_000);
    // Resumed: the first progress after the restart is past what the relay had stored at least a
    // chunk before the kill, not back at the start.
    const first = progress.find((v) => v.state === 'uploading' && v.transferred > 0);
    expect(first?.transferred).toBeGreaterThan(atKill.cipherSize / 4);
    await waitFor(() => alice.client.message(message.id)?.state !== 'sending', 20_000, 'the message to go');
    expect(alice.client.message(message.id)?.state).not.toBe('failed');
    await arrivesIntact(bob, dir, digest);
  }, 120_000);

  it('a sender closed half way through an upload goes on from there when opened again', async () => {
    const dir = tempDir();
    const relay = await testRelay(path.join(dir, 'relay'));
    cleanups.push(() => relay.close());
    const proxy = await slowProxy(relay.port, UPLOAD_RATE);
    cleanups.push(() => proxy.close());
    const first = await client(dir, proxy.url, 'alice', true);
    const bob = await client(dir, httpUrl(relay), 'bob', true);
    const original = path.join(dir, 'big.bin');
    const digest = randomFile(original, 50 * MB);
    const staged = await first.client.stageAttachment(fs.createReadStream(original), { name: 'big.bin', type: 'application/octet-stream' });
    const half = whenAttachment(first.client, (v) => v.id === staged.stagedId && v.transferred >= v.cipherSize / 2);
    const message = await first.client.send('bob', 'big', { queue: true, attachments: [staged.stagedId] });
    const atClose = await half;
    await first.client.close();

    const again = await WarblerClient.open(path.join(dir, 'alice'), { serverUrl: proxy.url });
    cleanups.push(() => again.close());
    expect(again.message(message.id)).toMatchObject({ state: 'sending', attachments: [expect.objectContaining({ state: 'uploading' })] });
    const progress: AttachmentView[] = [];
    again.on('attachment', (v) => progress.push(v));
    const uploaded = reaches(again, staged.stagedId, 'uploaded', 60_000);
    again.start();
    await uploaded;
    expect(progress.find((v) => v.transferred > 0)?.transferred).toBeGreaterThan(atClose.cipherSize / 4);
    await waitFor(() => again.message(message.id)?.state !== 'sending', 20_000, 'the message to go');
    await arrivesIntact(bob, dir, digest);
  }, 120_000);

  it('removes at open the files staged by a process that ended without sending them', async () => {
    const dir = tempDir();
    const relay = await testRelay(path.join(dir, 'relay'));
    cleanups.push(() => relay.close());
    const alice = await WarblerClient.register(path.join(dir, 'alice'), httpUrl(relay), 'alice');
    const original = path.join(dir, 'note.txt');
    fs.writeFileSync(original, 'a note');
    const staged = await alice.stageAttachment(fs.createReadStream(original), { name: 'note.txt', type: 'text/plain' });
    const folder = path.join(dir, 'alice', 'attachments');
    // As a crash would leave it: the staged file, and a half-written one.
    fs.copyFileSync(path.join(folder, staged.stagedId), path.join(dir, 'kept'));
    await alice.close();
    fs.copyFileSync(path.join(dir, 'kept'), path.join(folder, staged.stagedId));
    fs.writeFileSync(path.join(folder, 'BBBBBBBBBBBBBBBBBBBBBB.tmp'), 'half');

    const reopened = await WarblerClient.open(path.join(dir, 'alice'));
    cleanups.push(() => reopened.close());
    expect(fs.readdirSync(folder)).toEqual([]);
  });
});
