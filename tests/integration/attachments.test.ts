// Files in messages through a real relay: encrypted by the sender, uploaded (tus), fetched by
// each recipient device when asked, verified and decrypted; what the relay and the profiles keep.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import type { Relay } from '../../server/relay.js';
import type { ChatMessage } from '../../shared/ipc.js';
import { filesUnder, reaches, sha256, slowProxy } from '../attachment-fixture.js';
import { randomFile } from '../../bench/random-file.js';
import { httpUrl, onlineClient, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';

const cleanups = useCleanups();
const MB = 1024 * 1024;

async function relayWith(dir: string, config: Record<string, string> = {}): Promise<Relay> {
  const relay = await testRelay(path.join(dir, 'relay'), 0, { config });
  cleanups.push(() => relay.close());
  return relay;
}

async function person(dir: string, relay: Relay, name: string) {
  const online = await onlineClient(path.join(dir, name), relay, name);
  cleanups.push(() => online.client.close());
  return online;
}

/** A person whose client reaches the relay at `url` (a proxy in front of it, say). */
async function client(dir: string, url: string, name: string) {
  const c = await WarblerClient.register(path.join(dir, name), url, name);
  cleanups.push(() => c.close());
  c.start();
  await c.waitOnline(10_000);
  return { client: c };
}

/** bob's second device, linked to his account, online, its received messages collected. */
async function linkedDevice(dir: string, relay: Relay, owner: WarblerClient, name: string) {
  const linking = await WarblerClient.link(path.join(dir, name), httpUrl(relay));
  await owner.approveDevice(linking.code);
  const client = await linking.done;
  cleanups.push(() => client.close());
  const received: ChatMessage[] = [];
  client.on('received', (m) => received.push(m));
  client.start();
  await client.waitOnline(10_000);
  return { client, received };
}

const stageFile = (client: WarblerClient, file: string, name: string, type: string, asFile?: boolean) =>
  client.stageAttachment(fs.createReadStream(file), { name, type, ...(asFile ? { asFile } : {}) });

const withFiles = (received: ChatMessage[]) => waitFor(() => received.find((m) => m.attachments), 20_000, 'a message with files');

describe('attachments through a real relay', () => {
  it("a 50 MB file from alice reaches both of bob's devices byte-identical", async () => {
    const dir = tempDir();
    const relay = await relayWith(dir);
    const alice = await person(dir, relay, 'alice');
    const bob = await person(dir, relay, 'bob');
    const laptop = await linkedDevice(dir, relay, bob.client, 'bob-laptop');
    const original = path.join(dir, 'big.bin');
    const digest = randomFile(original, 50 * MB);

    const staged = await stageFile(alice.client, original, 'big.bin', 'application/octet-stream');
    expect(staged).toMatchObject({ name: 'big.bin', type: 'application/octet-stream', kind: 'file', size: 50 * MB });
    const sent = await alice.client.send('bob', 'the dataset', { queue: false, attachments: [staged.stagedId] });
    // Stored by the relay; the recipient, online, may have sent its receipt already.
    expect(['sent', 'delivered']).toContain(sent.state);
    expect(sent.attachments).toEqual([expect.objectContaining({ id: staged.stagedId, state: 'uploaded', name: 'big.bin', size: 50 * MB })]);
    // Nothing of the key leaves the core: a view has none.
    expect(JSON.stringify(sent)).not.toMatch(/"key"|"digest"/);

    for (const [device, out] of [
      [bob, 'bob.bin'],
      [laptop, 'laptop.bin'],
    ] as const) {
      const message = await withFiles(device.received);
      expect(message.text).toBe('the dataset');
      const [file] = message.attachments!;
      expect(file).toMatchObject({ id: staged.stagedId, name: 'big.bin', type: 'application/octet-stream', size: 50 * MB, state: 'remote', transferred: 0 });
      // Lazy: nothing is fetched until asked.
      expect(fs.existsSync(path.join(device.client.profileDir, 'attachments', file!.id))).toBe(false);
      if (device === bob) {
        const ready = await device.client.downloadAttachment(file!.id);
        expect(ready).toMatchObject({ state: 'ready', error: null, transferred: ready.cipherSize });
      }
      // The laptop saves at once: the download is decrypted into the file as it arrives.
      await device.client.saveAttachment(file!.id, path.join(dir, out));
      expect(sha256(path.join(dir, out))).toBe(digest);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(device.client.message(message.id)?.attachments?.[0]?.state).toBe('ready');
    }
  }, 120_000);

  it('opens a range of a received file as plaintext, and says when a file is not here', async () => {
    const dir = tempDir();
    const relay = await relayWith(dir);
    const alice = await person(dir, relay, 'alice');
    const bob = await person(dir, relay, 'bob');
    const original = path.join(dir, 'notes.txt');
    const text = Array.from({ length: 20_000 }, (_, i) => `line ${i}\n`).join('');
    fs.writeFileSync(original, text);
    const staged = await stageFile(alice.client, original, 'notes.txt', 'text/plain');
    await alice.client.send('bob', '', { queue: false, attachments: [staged.stagedId] });
    const message = await withFiles(bob.received);
    expect(message.text).toBe('');
    const id = message.attachments![0]!.id;

    await expect(bob.client.openAttachment(id)).rejects.toMatchObject({ code: 'unknown_attachment' });
    await bob.client.downloadAttachment(id);
    const opened = await bob.client.openAttachment(id, { start: 100_000, end: 100_099 });
    expect(opened).toMatchObject({ type: 'text/plain', name: 'notes.txt', size: Buffer.byteLength(text), start: 100_000, end: 100_099 });
    const chunks: Buffer[] = [];
    for await (const chunk of opened.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe(text.slice(100_000, 100_100));
    // The sender opens its own copy too, without fetching it.
    const own = await alice.client.openAttachment(id);
    expect(own.size).toBe(Buffer.byteLength(text));
    own.body.destroy();
    await expect(bob.client.openAttachment('AAAAAAAAAAAAAAAAAAAAAA')).rejects.toMatchObject({ code: 'unknown_attachment' });
  });

  it('detects a tampered byte in the blob the relay stores: damaged, and nothing of it kept', async () => {
    const dir = tempDir();
    const relay = await relayWith(dir);
    const alice = await person(dir, relay, 'alice');
    const bob = await person(dir, relay, 'bob');
    const original = path.join(dir, 'report.bin');
    randomFile(original, 3 * MB);
    const staged = await stageFile(alice.client, original, 'report.bin', 'application/octet-stream');
    await alice.client.send('bob', 'report', { queue: false, attachments: [staged.stagedId] });
    const id = (await withFiles(bob.received)).attachments![0]!.id;

    const stored = filesUnder(path.join(dir, 'relay')).find((f) => path.basename(f) === id);
    expect(stored, 'the relay keeps the blob as a file named by its id').toBeDefined();
    const fd = fs.openSync(stored!, 'r+');
    const byte = Buffer.alloc(1);
    fs.readSync(fd, byte, 0, 1, MB + 7);
    fs.writeSync(fd, Buffer.from([byte[0]! ^ 0x01]), 0, 1, MB + 7);
    fs.closeSync(fd);

    // Saved at once (decrypted as it arrives): refused, and nothing of it left where it was to go.
    await expect(bob.client.saveAttachment(id, path.join(dir, 'first.txt'))).rejects.toMatchObject({ code: 'attachment_damaged' });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('first') || f.startsWith('.first'))).toEqual([]);
    const view = await bob.client.downloadAttachment(id);
    expect(view).toMatchObject({ state: 'damaged', error: { code: 'attachment_damaged' } });
    expect(fs.readdirSync(path.join(bob.client.profileDir, 'attachments'))).toEqual([]);
    await expect(bob.client.openAttachment(id)).rejects.toMatchObject({ code: 'unknown_attachment' });
    await expect(bob.client.saveAttachment(id, path.join(dir, 'out.bin'))).rejects.toMatchObject({ code: 'attachment_damaged' });
    expect(fs.existsSync(path.join(dir, 'out.bin'))).toBe(false);
  });

  it('resumes a download from the part an earlier one left, with a range request', async () => {
    const dir = tempDir();
    const relay = await relayWith(dir);
    const alice = await person(dir, relay, 'alice');
    const bob = await person(dir, relay, 'bob');
    const original = path.join(dir, 'film.bin');
    const digest = randomFile(original, 6 * MB);
    const staged = await stageFile(alice.client, original, 'film.bin', 'application/octet-stream');
    await alice.client.send('bob', 'film', { queue: false, attachments: [staged.stagedId] });
    const id = (await withFiles(bob.received)).attachments![0]!.id;
    // What a download stopped half way (or by a restart) leaves: the first 4 MB of the ciphertext.
    const stored = filesUnder(path.join(dir, 'relay')).find((f) => path.basename(f) === id)!;
    fs.mkdirSync(path.join(bob.client.profileDir, 'attachments'), { recursive: true });
    fs.writeFileSync(path.join(bob.client.profileDir, 'attachments', `${id}.part`), fs.readFileSync(stored).subarray(0, 4 * MB));

    const progress: number[] = [];
    bob.client.on('attachment', (v) => v.state === 'downloading' && v.transferred > 0 && progress.push(v.transferred));
    expect(await bob.client.downloadAttachment(id)).toMatchObject({ state: 'ready' });
    expect(progress[0]).toBeGreaterThan(4 * MB);
    await bob.client.saveAttachment(id, path.join(dir, 'out.bin'));
    expect(sha256(path.join(dir, 'out.bin'))).toBe(digest);
    expect(fs.readdirSync(path.join(bob.client.profileDir, 'attachments'))).toEqual([id]);
  });

  it('says a file is missing when the relay no longer has it', async () => {
    const dir = tempDir();
    const relay = await relayWith(dir);
    const alice = await person(dir, relay, 'alice');
    const bob = await person(dir, relay, 'bob');
    const original = path.join(dir, 'gone.bin');
    randomFile(original, 1000);
    const staged = await stageFile(alice.client, original, 'gone.bin', 'application/octet-stream');
    await alice.client.send('bob', 'soon gone', { queue: false, attachments: [staged.stagedId] });
    const id = (await withFiles(bob.received)).attachments![0]!.id;
    for (const f of filesUnder(path.join(dir, 'relay')).filter((f) => path.basename(f) === id)) fs.rmSync(f);

    expect(await bob.client.downloadAttachment(id)).toMatchObject({ state: 'missing', error: { code: 'attachment_missing' } });
    await expect(bob.client.saveAttachment(id, path.join(dir, 'out.bin'))).rejects.toMatchObject({ code: 'attachment_missing' });
  });

  it("keeps none of the plaintext, the name or the type on the relay, and nothing readable in the profiles", async () => {
    const dir = tempDir();
    const relay = await relayWith(dir);
    const alice = await person(dir, relay, 'alice');
    const bob = await person(dir, relay, 'bob');
    const secret = 'PLAINTEXT-MARKER-7f3a';
    const name = 'quarterly-figures-ZQX.csv';
    const type = 'application/x-warbler-secret-type';
    const original = path.join(dir, 'figures.csv');
    fs.writeFileSync(original, `${secret}\n`.repeat(50_000));
    const staged = await stageFile(alice.client, original, name, type);
    await alice.client.send('bob', 'figures', { queue: false, attachments: [staged.stagedId] });
    const id = (await withFiles(bob.received)).attachments![0]!.id;
    await bob.client.downloadAttachment(id);
    await alice.client.close();
    await bob.client.close();

    const relayFiles = filesUnder(path.join(dir, 'relay'));
    expect(relayFiles.some((f) => path.basename(f) === id)).toBe(true);
    for (const where of [...relayFiles, ...filesUnder(path.join(dir, 'alice')), ...filesUnder(path.join(dir, 'bob'))]) {
      const bytes = fs.readFileSync(where);
      for (const needle of [secret, name, type, 'quarterly-figures']) expect(bytes.includes(needle), `${needle} in ${where}`).toBe(false);
    }
  });

  it('sends a photo without its EXIF and GPS tags, re-encoded with a thumbnail; as a file, it goes as it is', async () => {
    const dir = tempDir();
    const relay = await relayWith(dir);
    const alice = await person(dir, relay, 'alice');
    const bob = await person(dir, relay, 'bob');
    const photo = path.join(dir, 'holiday.jpg');
    const gps = { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2400/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 300/100' };
    await sharp({ create: { width: 320, height: 200, channels: 3, background: '#3366cc' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'WarblerCam', Model: 'SecretModel' }, IFD3: gps })
      .toFile(photo);
    expect((await sharp(photo).metadata()).exif?.includes('SecretModel')).toBe(true);

    const image = await stageFile(alice.client, photo, 'holiday.jpg', 'image/jpeg');
    expect(image).toMatchObject({ kind: 'image', type: 'image/jpeg', width: 320, height: 200, thumbhash: expect.any(String) });
    const asFile = await stageFile(alice.client, photo, 'holiday-original.jpg', 'image/jpeg', true);
    expect(asFile).toMatchObject({ kind: 'file', type: 'image/jpeg', size: fs.statSync(photo).size });
    await alice.client.send('bob', 'from the beach', { queue: false, attachments: [image.stagedId, asFile.stagedId] });

    const message = await withFiles(bob.received);
    expect(message.attachments!.map((a) => [a.name, a.kind])).toEqual([
      ['holiday.jpg', 'image'],
      ['holiday-original.jpg', 'file'],
    ]);
    expect(message.attachments![0]).toMatchObject({ width: 320, height: 200, thumbhash: image.thumbhash });
    const received = path.join(dir, 'received.jpg');
    await bob.client.saveAttachment(image.stagedId, received);
    const meta = await sharp(received).metadata();
    expect(meta.exif).toBeUndefined();
    expect(fs.readFileSync(received).includes('SecretModel')).toBe(false);
    expect(fs.readFileSync(received).includes('GPS')).toBe(false);
    await bob.client.saveAttachment(asFile.stagedId, path.join(dir, 'original.jpg'));
    expect(sha256(path.join(dir, 'original.jpg'))).toBe(sha256(photo));
  });

  it('refuses a file over the announced limit early, and the relay refuses one the client did not know was too large', async () => {
    const dir = tempDir();
    const relay = await relayWith(dir, { attachmentMaxBytes: '1M' });
    const alice = await person(dir, relay, 'alice');
    await person(dir, relay, 'bob');
    expect(alice.client.attachmentMaxBytes).toBe(MB);
    const big = path.join(dir, 'big.bin');
    randomFile(big, 2 * MB);
    let read = 0;
    const counted = async function* () {
      for await (const chunk of fs.createReadStream(big, { highWaterMark: 64 * 1024 })) {
        read += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
    };
    await expect(alice.client.stageAttachment(counted(), { name: 'big.bin', type: 'application/octet-stream' })).rejects.toMatchObject({
      code: 'attachment_too_large',
      params: { max: '1 MB' },
    });
    expect(read).toBeLessThan(2 * MB);
    expect(fs.readdirSync(path.join(alice.client.profileDir, 'attachments'))).toEqual([]);

    // A profile that last saw a relay with a larger limit stages offline, then the relay says no.
    const carolDir = path.join(dir, 'carol');
    await (await WarblerClient.register(carolDir, httpUrl(relay), 'carol')).close();
    const carol = await WarblerClient.open(carolDir, { serverUrl: httpUrl(relay) });
    cleanups.push(() => carol.close());
    expect(carol.attachmentMaxBytes).toBe(100 * MB);
    const staged = await stageFile(carol, big, 'big.bin', 'application/octet-stream');
    const message = await carol.send('bob', 'too big', { queue: true, attachments: [staged.stagedId] });
    expect(message.state).toBe('sending');
    carol.start();
    const failed = await reaches(carol, staged.stagedId, 'failed');
    expect(failed.error).toMatchObject({ code: 'attachment_too_large', params: { max: '1 MB' } });
    await waitFor(() => carol.message(message.id)?.state === 'failed', 5000, 'the message to fail');
  });

  it('answers over quota clearly, and the message can be retried once there is room', async () => {
    const dir = tempDir();
    const relay = await relayWith(dir, { attachmentQuotaBytes: '3M' });
    const alice = await person(dir, relay, 'alice');
    const bob = await person(dir, relay, 'bob');
    const first = path.join(dir, 'first.bin');
    randomFile(first, 2 * MB);
    const a = await stageFile(alice.client, first, 'first.bin', 'application/octet-stream');
    await alice.client.send('bob', 'one', { queue: false, attachments: [a.stagedId] });
    const b = await stageFile(alice.client, first, 'second.bin', 'application/octet-stream');
    await expect(alice.client.send('bob', 'two', { queue: false, attachments: [b.stagedId] })).rejects.toMatchObject({ code: 'quota_exceeded' });
    const view = alice.client.attachment(b.stagedId);
    expect(view).toMatchObject({ state: 'failed', error: { code: 'quota_exceeded' } });
    const failed = alice.client.message(view!.messageId);
    expect(failed?.state).toBe('failed');
    expect(bob.received.filter((m) => m.attachments)).toHaveLength(1);
  });

  it('cancels an upload (the message fails, nothing sent) and a retry sends it', async () => {
    const dir = tempDir();
    const relay = await relayWith(dir);
    // Slowed down (about 2 s for the file), so that the cancel comes while it goes up.
    const proxy = await slowProxy(relay.port, 20 * MB);
    cleanups.push(() => proxy.close());
    const alice = await client(dir, proxy.url, 'alice');
    const bob = await person(dir, relay, 'bob');
    const original = path.join(dir, 'video.mp4');
    const digest = randomFile(original, 40 * MB);
    const staged = await stageFile(alice.client, original, 'video.mp4', 'video/mp4');
    const events: string[] = [];
    alice.client.on('attachment', (v) => events.push(v.state));
    const message = await alice.client.send('bob', 'watch', { queue: true, attachments: [staged.stagedId] });
    expect(message).toMatchObject({ state: 'sending', attachments: [expect.objectContaining({ state: 'uploading' })] });
    const cancelled = await alice.client.cancelTransfer(staged.stagedId);
    expect(cancelled).toMatchObject({ state: 'failed', error: { code: 'transfer_cancelled' } });
    expect(alice.client.message(message.id)?.state).toBe('failed');

    const retried = await alice.client.retryTransfer(staged.stagedId);
    expect(retried.state).toBe('uploading');
    await reaches(alice.client, staged.stagedId, 'uploaded');
    await waitFor(() => alice.client.message(message.id)?.state === 'sent' || alice.client.message(message.id)?.state === 'delivered', 20_000, 'sent');
    const received = await withFiles(bob.received);
    await bob.client.saveAttachment(received.attachments![0]!.id, path.join(dir, 'out.mp4'));
    expect(sha256(path.join(dir, 'out.mp4'))).toBe(digest);
    expect(bob.received.filter((m) => m.attachments)).toHaveLength(1);
    expect(events).toContain('failed');
  }, 60_000);

  it('asks for a new upload token once when the relay refuses the one it keeps', async () => {
    const dir = tempDir();
    let skew = 0;
    // The relay's clock jumps a day ahead: the token the client keeps has expired there.
    const relay = await testRelay(path.join(dir, 'relay'), 0, { now: () => Date.now() + skew });
    cleanups.push(() => relay.close());
    const alice = await person(dir, relay, 'alice');
    const bob = await person(dir, relay, 'bob');
    const original = path.join(dir, 'a.bin');
    const digest = randomFile(original, 100_000);
    const first = await stageFile(alice.client, original, 'a.bin', 'application/octet-stream');
    await alice.client.send('bob', 'one', { queue: false, attachments: [first.stagedId] });
    skew = 25 * 3600_000;
    const second = await stageFile(alice.client, original, 'b.bin', 'application/octet-stream');
    const sent = await alice.client.send('bob', 'two', { queue: false, attachments: [second.stagedId] });
    // Stored by the relay; the recipient, online, may have sent its receipt already.
    expect(['sent', 'delivered']).toContain(sent.state);
    await waitFor(() => bob.received.filter((m) => m.attachments).length === 2, 10_000, 'both messages');
    await bob.client.saveAttachment(second.stagedId, path.join(dir, 'b.out'));
    expect(sha256(path.join(dir, 'b.out'))).toBe(digest);
  });

  it('keeps text-only messages as they were: no attachments on them', async () => {
    const dir = tempDir();
    const relay = await relayWith(dir);
    const alice = await person(dir, relay, 'alice');
    const bob = await person(dir, relay, 'bob');
    const sent = await alice.client.send('bob', 'just words');
    expect(sent.attachments).toBeUndefined();
    const got = await waitFor(() => bob.received[0]);
    expect(got.attachments).toBeUndefined();
    expect('attachments' in bob.client.messages('alice', 10)[0]!).toBe(false);
  });

  it('refuses a staged id it does not know, and a discarded one is gone', async () => {
    const dir = tempDir();
    const relay = await relayWith(dir);
    const alice = await person(dir, relay, 'alice');
    await person(dir, relay, 'bob');
    const original = path.join(dir, 'x.txt');
    fs.writeFileSync(original, 'x');
    const staged = await stageFile(alice.client, original, 'x.txt', 'text/plain');
    expect(fs.existsSync(path.join(alice.client.profileDir, 'attachments', staged.stagedId))).toBe(true);
    await alice.client.discardStaged(staged.stagedId);
    expect(fs.existsSync(path.join(alice.client.profileDir, 'attachments', staged.stagedId))).toBe(false);
    await expect(alice.client.send('bob', 'x', { queue: true, attachments: [staged.stagedId] })).rejects.toMatchObject({ code: 'unknown_attachment' });
    expect(alice.client.messages('bob', 10)).toEqual([]);
  });
});
