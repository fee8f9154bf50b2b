// Downloads that do not go straight through, on a real relay: cancelled and started again, cut off
// by a network that goes away, and stopped by a restart of the recipient's app. Each goes on from
// the bytes it already has (the `.part` file, fetched with a range) and ends verified. A proxy
// slows downloads down so that "half way" can be caught on loopback.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import type { AttachmentView } from '../../shared/attachment.js';
import { randomFile } from '../../bench/random-file.js';
import { reaches, sha256, slowProxy, whenAttachment } from '../attachment-fixture.js';
import { onlineClient, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';

const cleanups = useCleanups();
const MB = 1024 * 1024;
/** Downloads through the proxy: 20 MB take about 2 s. */
const DOWNLOAD_RATE = 10 * MB;

/** alice sends bob 20 MB; bob reaches the relay through a proxy that slows what he fetches. */
async function setUp() {
  const dir = tempDir();
  const relay = await testRelay(path.join(dir, 'relay'));
  cleanups.push(() => relay.close());
  const proxy = await slowProxy(relay.port, DOWNLOAD_RATE, 'down');
  cleanups.push(() => proxy.close());
  const alice = (await onlineClient(path.join(dir, 'alice'), relay, 'alice')).client;
  cleanups.push(() => alice.close());
  const bob = await WarblerClient.register(path.join(dir, 'bob'), proxy.url, 'bob');
  cleanups.push(() => bob.close());
  bob.start();
  await bob.waitOnline(10_000);
  const original = path.join(dir, 'big.bin');
  const digest = randomFile(original, 20 * MB);
  const staged = await alice.stageAttachment(fs.createReadStream(original), { name: 'big.bin', type: 'application/octet-stream' });
  const sent = await alice.send('bob', 'big', { queue: false, attachments: [staged.stagedId] });
  const message = await waitFor(() => bob.message(sent.id), 20_000, 'bob to get the message');
  return { dir, proxy, alice, bob, messageId: sent.id, id: message.attachments![0]!.id, digest };
}

const halfWay = (client: WarblerClient, id: string) => whenAttachment(client, (v) => v.id === id && v.state === 'downloading' && v.transferred >= v.cipherSize / 2);

/** The bytes a download had when it (re)started: its first progress report. */
function firstProgress(client: WarblerClient, id: string): Promise<AttachmentView> {
  return whenAttachment(client, (v) => v.id === id && v.state === 'downloading' && v.transferred > 0);
}

describe('downloads that do not go straight through', () => {
  it('a cancelled download stops, says so, and a retry goes on from the bytes it has', async () => {
    const { dir, bob, id, digest } = await setUp();
    const half = halfWay(bob, id);
    const download = bob.downloadAttachment(id);
    await half;
    const cancelled = await bob.cancelTransfer(id);
    expect(cancelled).toMatchObject({ state: 'failed', error: { code: 'transfer_cancelled' } });
    expect((await download).state).toBe('failed');

    const resumed = firstProgress(bob, id);
    expect((await bob.retryTransfer(id)).state).toMatch(/downloading|ready/);
    const ready = reaches(bob, id, 'ready');
    expect((await resumed).transferred).toBeGreaterThanOrEqual(cancelled.transferred);
    await ready;
    await bob.saveAttachment(id, path.join(dir, 'out.bin'));
    expect(sha256(path.join(dir, 'out.bin'))).toBe(digest);
  }, 60_000);

  it('a download cut off by the network goes on by itself once it is back, from where it was', async () => {
    const { dir, proxy, bob, id, digest } = await setUp();
    const half = halfWay(bob, id);
    const download = bob.downloadAttachment(id);
    const before = await half;
    proxy.cut();
    const resumed = firstProgress(bob, id);
    expect(await download).toMatchObject({ state: 'ready', error: null });
    // The attempt after the cut asked for the rest, not the whole file again. It starts from the
    // bytes written to the part file, which may trail those counted as received by what still
    // waited for the disk at the cut (the download's file stream holds up to 4 MiB).
    expect((await resumed).transferred).toBeGreaterThanOrEqual(before.transferred - 4 * 1024 * 1024);
    expect((await resumed).transferred).toBeGreaterThan(0);
    await bob.saveAttachment(id, path.join(dir, 'out.bin'));
    expect(sha256(path.join(dir, 'out.bin'))).toBe(digest);
  }, 60_000);

  it('a download stopped by a restart of the app is kept in part, and finishes from there when asked again', async () => {
    const { dir, proxy, bob, id, digest } = await setUp();
    const half = halfWay(bob, id);
    void bob.downloadAttachment(id).catch(() => undefined);
    const atClose = await half;
    await bob.close();

    const again = await WarblerClient.open(bob.profileDir, { serverUrl: proxy.url });
    cleanups.push(() => again.close());
    // Not fetched again by itself (downloads are lazy); what it had is kept for when it is asked.
    expect(again.attachment(id)).toMatchObject({ state: 'remote' });
    const parts = fs.readdirSync(path.join(bob.profileDir, 'attachments')).filter((f) => f.endsWith('.part'));
    expect(parts).toHaveLength(1);
    expect(fs.statSync(path.join(bob.profileDir, 'attachments', parts[0]!)).size).toBeGreaterThan(0);
    again.start();
    await again.waitOnline(10_000);
    const resumed = firstProgress(again, id);
    expect(await again.downloadAttachment(id)).toMatchObject({ state: 'ready' });
    expect((await resumed).transferred).toBeGreaterThanOrEqual(atClose.transferred / 2);
    await again.saveAttachment(id, path.join(dir, 'out.bin'));
    expect(sha256(path.join(dir, 'out.bin'))).toBe(digest);
  }, 60_000);

  it('deleting a message stops its download; a forwarded copy of the same file goes on from the bytes fetched', async () => {
    const { dir, alice, bob, messageId, id, digest } = await setUp();
    const forwarded = await alice.forward(messageId, 'bob', { queue: false });
    const copyId = (await waitFor(() => bob.message(forwarded.id), 20_000, 'the copy')).attachments![0]!.id;
    const half = halfWay(bob, id);
    const first = bob.downloadAttachment(id).catch(() => undefined);
    const before = await half;
    // One transfer per file: the copy's waits for the original's.
    const copy = bob.downloadAttachment(copyId);
    const taken = firstProgress(bob, copyId);
    await bob.deleteMessage(messageId, { queue: false, forEveryone: false });
    await first;
    const resumed = await taken;
    expect(resumed.transferred).toBeGreaterThanOrEqual(before.transferred);
    expect(resumed.transferred).toBeLessThan(resumed.cipherSize);
    expect(await copy).toMatchObject({ state: 'ready', error: null });
    await bob.saveAttachment(copyId, path.join(dir, 'out.bin'));
    expect(sha256(path.join(dir, 'out.bin'))).toBe(digest);
  }, 60_000);
});
