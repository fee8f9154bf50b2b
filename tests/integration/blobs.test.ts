// The relay's blob API through a real relay on loopback: tus uploads with the real tus-js-client
// (a device's token from the blob-token request), downloads with ranges, resuming after the relay
// restarts, the limits, the uploader's rights, expiry, and what lies on the relay's disk.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { DetailedError, Upload } from 'tus-js-client';
import { describe, expect, it } from 'vitest';
import { BLOBS_PATH } from '../../shared/attachment.js';
import { BlobTokenResult, type ResultData } from '../../shared/protocol.js';
import type { Relay } from '../../server/relay.js';
import { BLOBS_FOLDER, UNFINISHED_UPLOAD_MS } from '../../server/blobs/blobs.js';
import { startUpload } from '../../core/attachments/upload.js';
import { RawSocket } from '../raw-socket.js';
import { httpUrl, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';
import { relayRows } from '../relay-database.js';

const cleanups = useCleanups();
type Grant = ResultData['blob-token'];
const MB = 1024 * 1024;

interface Options {
  port?: number;
  now?: () => number;
  queueTtl?: string;
  maxBytes?: number;
  quotaBytes?: number;
}

/** A relay with its data under dir (the same dir again: the same relay, restarted). */
async function relayIn(dir: string, o: Options = {}): Promise<{ relay: Relay; base: string }> {
  const relay = await testRelay(dir, o.port ?? 0, {
    ...(o.now ? { now: o.now } : {}),
    ...(o.queueTtl ? { queueTtl: o.queueTtl } : {}),
    config: { ...(o.maxBytes ? { attachmentMaxBytes: o.maxBytes } : {}), ...(o.quotaBytes ? { attachmentQuotaBytes: o.quotaBytes } : {}) },
  });
  cleanups.push(() => relay.close());
  return { relay, base: httpUrl(relay) };
}

let requests = 0;

/** A newly registered device of `username`, logged in, and a blob token for it. */
async function device(relay: Relay, username: string): Promise<{ socket: RawSocket; grant: Grant }> {
  const socket = await RawSocket.open(relay.url);
  cleanups.push(() => socket.close());
  await socket.register(username);
  return { socket, grant: await tokenOf(socket) };
}

async function tokenOf(socket: RawSocket): Promise<Grant> {
  const reply = await socket.request({ type: 'blob-token', id: `token-${++requests}` });
  expect(reply.type, JSON.stringify(reply)).toBe('result');
  return BlobTokenResult.parse(reply.data);
}

const newId = () => crypto.randomBytes(16).toString('base64url');
const tus = (token: string) => ({ 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${token}` });
const blobUrl = (base: string, id: string) => `${base}${BLOBS_PATH}/${id}`;
const metadataOf = (id: string) => `id ${Buffer.from(id).toString('base64')}`;

/** A tus creation, as a client sends it; the body parsed when it is JSON. */
async function create(base: string, token: string, id: string, size: number, extra: Record<string, string> = {}) {
  const response = await fetch(`${base}${BLOBS_PATH}`, {
    method: 'POST',
    headers: { ...tus(token), 'Upload-Length': String(size), 'Upload-Metadata': metadataOf(id), ...extra },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

async function patch(base: string, token: string, id: string, offset: number, bytes: Uint8Array) {
  return fetch(blobUrl(base, id), {
    method: 'PATCH',
    headers: { ...tus(token), 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    body: bytes,
  });
}

/** The whole upload with tus-js-client; resolves with the upload's URL. */
function upload(
  base: string,
  token: string,
  id: string,
  file: Buffer | fs.ReadStream,
  o: { size?: number; chunkSize?: number; uploadUrl?: string; patchOffsets?: string[] } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const tusUpload = new Upload(file, {
      endpoint: `${base}${BLOBS_PATH}`,
      uploadUrl: o.uploadUrl ?? null,
      uploadSize: o.size ?? (Buffer.isBuffer(file) ? file.length : null),
      metadata: { id },
      headers: { Authorization: `Bearer ${token}` },
      retryDelays: null,
      storeFingerprintForResuming: false,
      ...(o.chunkSize ? { chunkSize: o.chunkSize } : {}),
      onBeforeRequest: (req) => {
        if (req.getMethod() === 'PATCH') o.patchOffsets?.push(req.getHeader('Upload-Offset') ?? '');
      },
      onSuccess: () => resolve(tusUpload.url!),
      onError: reject,
    });
    tusUpload.start();
  });
}

async function download(base: string, id: string, range?: string) {
  const response = await fetch(blobUrl(base, id), range ? { headers: { Range: range } } : {});
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const blobsIn = (dir: string) => path.join(dir, BLOBS_FOLDER);

/** The blobs table, read on a connection of its own beside the running relay. */
function indexRows(dir: string): Promise<{ id: string; owner: string; size: number; completed_at: number | null }[]> {
  return relayRows(dir, 'SELECT id, owner, size, completed_at FROM blobs ORDER BY id');
}

describe('uploading and downloading an attachment', () => {
  it('takes a tus upload from tus-js-client and serves the same bytes back', async () => {
    const dir = tempDir();
    const { relay, base } = await relayIn(dir);
    const { grant } = await device(relay, 'alice');
    expect(grant).toMatchObject({ maxBytes: 100 * MB, quotaBytes: 1024 * MB, usedBytes: 0 });
    expect(grant.expiresAt).toBeGreaterThan(Date.now() + 23 * 3600_000);

    // From a Buffer, in one PATCH; and from a file stream in 1 MB PATCHes.
    const small = crypto.randomBytes(100_000);
    const smallId = newId();
    expect(await upload(base, grant.token, smallId, small)).toBe(blobUrl(base, smallId));
    const large = crypto.randomBytes(5 * MB + 123);
    const file = path.join(tempDir(), 'ciphertext');
    fs.writeFileSync(file, large);
    const largeId = newId();
    const offsets: string[] = [];
    await upload(base, grant.token, largeId, fs.createReadStream(file), { size: large.length, chunkSize: MB, patchOffsets: offsets });
    expect(offsets).toEqual(['0', '1048576', '2097152', '3145728', '4194304', '5242880']);

    for (const [id, bytes] of [[smallId, small], [largeId, large]] as const) {
      const got = await download(base, id);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('application/octet-stream');
      expect(got.headers.get('content-length')).toBe(String(bytes.length));
      expect(got.headers.get('accept-ranges')).toBe('bytes');
      expect(got.bytes.equals(bytes)).toBe(true);
    }
    expect((await tokenOf((await device(relay, 'bob')).socket)).usedBytes).toBe(0);
    expect((await indexRows(path.join(dir))).map((r) => [r.id, r.owner, r.size, r.completed_at !== null])).toEqual(
      [
        [smallId, 'alice', small.length, true],
        [largeId, 'alice', large.length, true],
      ].sort(),
    );
  });

  it('answers the creation with 201 and a Location on the relay, and the uploader HEAD with the offset', async () => {
    const { relay, base } = await relayIn(tempDir());
    const { grant } = await device(relay, 'alice');
    const id = newId();
    const created = await create(base, grant.token, id, 10);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${BLOBS_PATH}/${id}`);
    expect((await patch(base, grant.token, id, 0, Buffer.from('hello'))).status).toBe(204);
    const head = await fetch(blobUrl(base, id), { method: 'HEAD', headers: tus(grant.token) });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe('5');
    expect(head.headers.get('upload-length')).toBe('10');
    // The relay echoes no metadata: it kept none.
    expect(head.headers.get('upload-metadata')).toBeNull();
    // tus's own refusals (a wrong offset) and the relay's (a body that is not tus's) are in the API's JSON.
    const wrong = await patch(base, grant.token, id, 0, Buffer.from('again'));
    expect(wrong.status).toBe(409);
    expect(wrong.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await wrong.json()).toMatchObject({ code: 40900, http: 409 });
    const text = await fetch(blobUrl(base, id), {
      method: 'PATCH',
      headers: { ...tus(grant.token), 'Upload-Offset': '5', 'Content-Type': 'text/plain' },
      body: 'world',
    });
    expect(text.status).toBe(400);
    expect(await text.json()).toMatchObject({ code: 40000, http: 400, field: 'Content-Type' });
    const oldTus = await fetch(blobUrl(base, id), { method: 'HEAD', headers: { ...tus(grant.token), 'Tus-Resumable': '0.2.2' } });
    expect(oldTus.status).toBe(412);
    expect(oldTus.headers.get('tus-version')).toBe('1.0.0');
  });

  it('serves byte ranges: from a position, between two, the last bytes; 416 past the end', async () => {
    const { relay, base } = await relayIn(tempDir());
    const { grant } = await device(relay, 'alice');
    const bytes = crypto.randomBytes(200_000);
    const id = newId();
    await upload(base, grant.token, id, bytes);

    const from = await download(base, id, 'bytes=150000-');
    expect(from.status).toBe(206);
    expect(from.headers.get('content-range')).toBe('bytes 150000-199999/200000');
    expect(from.headers.get('content-length')).toBe('50000');
    expect(from.bytes.equals(bytes.subarray(150_000))).toBe(true);

    const between = await download(base, id, 'bytes=10-19');
    expect(between.status).toBe(206);
    expect(between.headers.get('content-range')).toBe('bytes 10-19/200000');
    expect(between.bytes.equals(bytes.subarray(10, 20))).toBe(true);

    const last = await download(base, id, 'bytes=-24');
    expect(last.status).toBe(206);
    expect(last.bytes.equals(bytes.subarray(-24))).toBe(true);

    const past = await download(base, id, 'bytes=200000-');
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */200000');
    expect(JSON.parse(past.bytes.toString())).toMatchObject({ code: 41600, http: 416 });

    // Several ranges are not served as such: the whole blob is.
    const several = await download(base, id, 'bytes=0-1,5-6');
    expect(several.status).toBe(200);
    expect(several.bytes.equals(bytes)).toBe(true);
  });

  it('answers 404 for a blob that is absent, unfinished or not a blob id', async () => {
    const { relay, base } = await relayIn(tempDir());
    const { grant } = await device(relay, 'alice');
    const unfinished = newId();
    expect((await create(base, grant.token, unfinished, 100)).status).toBe(201);
    await patch(base, grant.token, unfinished, 0, crypto.randomBytes(50));
    for (const id of [unfinished, newId(), 'not-an-id', '..%2F..%2Frelay.sqlite']) {
      const got = await download(base, id);
      expect(got.status, id).toBe(404);
      expect(JSON.parse(got.bytes.toString())).toEqual({ code: 40499, http: 404, error: 'the file is no longer on the relay' });
    }
  });
});

describe('resuming', () => {
  it('resumes an upload cut off half way, after the relay is closed and started again on the same data', async () => {
    const dir = tempDir();
    const first = await relayIn(dir);
    const port = first.relay.port;
    let base = first.base;
    const { grant } = await device(first.relay, 'alice');
    const bytes = crypto.randomBytes(4 * MB);
    const id = newId();
    expect((await create(base, grant.token, id, bytes.length)).status).toBe(201);

    // A PATCH for all of it that sends half, then the relay goes away under it.
    const request = http.request(blobUrl(base, id), {
      method: 'PATCH',
      headers: { ...tus(grant.token), 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream', 'Content-Length': bytes.length },
    });
    const cut = new Promise<void>((resolve) => {
      request.on('error', () => resolve());
      request.on('response', (res) => res.resume().on('end', resolve).on('error', resolve));
    });
    request.write(bytes.subarray(0, 2 * MB));
    const stored = path.join(blobsIn(dir), id);
    await waitFor(() => fs.statSync(stored).size === 2 * MB, 10_000, 'half the upload on disk');
    await first.relay.close();
    await cut;
    request.destroy();

    ({ base } = await relayIn(dir, { port }));
    // The token is the relay's signature: it holds across the restart, with nothing kept for it.
    const head = await fetch(blobUrl(base, id), { method: 'HEAD', headers: tus(grant.token) });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(2 * MB));
    expect(head.headers.get('upload-length')).toBe(String(bytes.length));
    expect((await download(base, id)).status).toBe(404);

    const offsets: string[] = [];
    await upload(base, grant.token, id, bytes, { uploadUrl: blobUrl(base, id), patchOffsets: offsets });
    expect(offsets).toEqual([String(2 * MB)]);
    const got = await download(base, id);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(bytes)).toBe(true);
  });
});

describe('who may upload', () => {
  it('refuses a missing, malformed, tampered, foreign or expired token with 401', async () => {
    const clock = { now: Date.now() };
    const { relay, base } = await relayIn(tempDir(), { now: () => clock.now });
    const { grant } = await device(relay, 'alice');
    const other = await relayIn(tempDir());
    const foreign = (await device(other.relay, 'alice')).grant.token;
    const [version, claims, signature] = grant.token.split('.') as [string, string, string];
    const mallory = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(claims, 'base64url').toString()), a: 'mallory' })).toString('base64url');
    const bad = ['', 'garbage', `${version}.${mallory}.${signature}`, `${version}.${claims}.${signature.split('').reverse().join('')}`, foreign];
    for (const token of bad) {
      const created = await create(base, token, newId(), 10);
      expect(created.status, token).toBe(401);
      expect(created.json).toMatchObject({ code: 40101, http: 401 });
    }
    const bare = await fetch(`${base}${BLOBS_PATH}`, { method: 'POST', headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '10', 'Upload-Metadata': metadataOf(newId()) } });
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toBe('Bearer');

    const id = newId();
    expect((await create(base, grant.token, id, 10)).status).toBe(201);
    clock.now = grant.expiresAt;
    expect((await create(base, grant.token, newId(), 10)).status).toBe(401);
    expect((await patch(base, grant.token, id, 0, Buffer.alloc(10))).status).toBe(401);
  });

  it('gives tokens to logged-in devices only, and tells them the size limit at login', async () => {
    const { relay } = await relayIn(tempDir(), { maxBytes: 5 * MB });
    const anonymous = await RawSocket.open(relay.url);
    cleanups.push(() => anonymous.close());
    expect(await anonymous.request({ type: 'blob-token', id: 't' })).toMatchObject({ type: 'error', code: 'unauthenticated' });

    const first = await RawSocket.open(relay.url);
    cleanups.push(() => first.close());
    const identity = await first.register('alice');
    first.close();
    const again = await RawSocket.open(relay.url);
    cleanups.push(() => again.close());
    expect(await again.login(identity)).toMatchObject({ type: 'result', data: { username: 'alice', attachmentMaxBytes: 5 * MB } });
    expect(await tokenOf(again)).toMatchObject({ maxBytes: 5 * MB });
  });

  it('lets only the uploading account HEAD, PATCH or DELETE a blob; another gets 403 and 409 for its id', async () => {
    const dir = tempDir();
    const { relay, base } = await relayIn(dir);
    const alice = (await device(relay, 'alice')).grant.token;
    const bob = (await device(relay, 'bob')).grant.token;
    const bytes = crypto.randomBytes(1000);
    const id = newId();
    expect((await create(base, alice, id, bytes.length)).status).toBe(201);
    expect((await patch(base, alice, id, 0, bytes.subarray(0, 500))).status).toBe(204);

    for (const method of ['HEAD', 'DELETE'] as const) {
      const response = await fetch(blobUrl(base, id), { method, headers: tus(bob) });
      expect(response.status, method).toBe(403);
    }
    const bobs = await patch(base, bob, id, 500, crypto.randomBytes(500));
    expect(bobs.status).toBe(403);
    expect(await bobs.json()).toMatchObject({ code: 40301, http: 403 });
    // The id is taken, whoever asks for it again.
    for (const token of [bob, alice]) {
      const again = await create(base, token, id, 10);
      expect(again.status).toBe(409);
      expect(again.json).toMatchObject({ code: 40900, http: 409 });
    }

    expect((await patch(base, alice, id, 500, bytes.subarray(500))).status).toBe(204);
    expect((await download(base, id)).bytes.equals(bytes)).toBe(true);
    // The uploader may delete it (tus termination): the file and its row go.
    const deleted = await fetch(blobUrl(base, id), { method: 'DELETE', headers: tus(alice) });
    expect(deleted.status).toBe(204);
    expect((await download(base, id)).status).toBe(404);
    expect(fs.readdirSync(blobsIn(dir))).toEqual([]);
    expect(await indexRows(dir)).toEqual([]);
  });

  it('refuses a creation without a plain blob id and length: no name or type reaches the relay', async () => {
    const { relay, base } = await relayIn(tempDir());
    const { grant } = await device(relay, 'alice');
    const named = `${metadataOf(newId())},filename ${Buffer.from('holiday.jpg').toString('base64')}`;
    for (const [extra, field] of [
      [{ 'Upload-Metadata': named }, 'Upload-Metadata'],
      [{ 'Upload-Metadata': `id ${Buffer.from('short').toString('base64')}` }, 'Upload-Metadata'],
      [{ 'Upload-Metadata': 'id' }, 'Upload-Metadata'],
      [{ 'Upload-Length': '-1' }, 'Upload-Length'],
    ] as const) {
      const refused = await create(base, grant.token, newId(), 10, extra);
      expect(refused.status, JSON.stringify(extra)).toBe(400);
      expect(refused.json).toMatchObject({ code: 40000, http: 400, field });
    }
    const deferred = await fetch(`${base}${BLOBS_PATH}`, {
      method: 'POST',
      headers: { ...tus(grant.token), 'Upload-Defer-Length': '1', 'Upload-Metadata': metadataOf(newId()) },
    });
    expect(deferred.status).toBe(400);
  });
});

describe('limits', () => {
  it('refuses an attachment over --attachment-max-size with 413 attachment_too_large and the limit', async () => {
    const { relay, base } = await relayIn(tempDir(), { maxBytes: 1000 });
    const { grant } = await device(relay, 'alice');
    expect(grant.maxBytes).toBe(1000);
    expect((await create(base, grant.token, newId(), 1000)).status).toBe(201);
    const refused = await create(base, grant.token, newId(), 1001);
    expect(refused.status).toBe(413);
    expect(refused.json).toEqual({ code: 41301, http: 413, error: 'an attachment may be at most 1000 bytes', params: { max: 1000 } });
    // As tus-js-client sees it.
    const error = await upload(base, grant.token, newId(), crypto.randomBytes(1001)).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DetailedError);
    expect((error as DetailedError).originalResponse?.getStatus()).toBe(413);
  });

  it('keeps each account within --attachment-quota, counting unfinished uploads, until it deletes some', async () => {
    const { relay, base } = await relayIn(tempDir(), { quotaBytes: 2000 });
    const alice = await device(relay, 'alice');
    await upload(base, alice.grant.token, newId(), crypto.randomBytes(1200));
    const pending = newId();
    expect((await create(base, alice.grant.token, pending, 800)).status).toBe(201);
    expect(await tokenOf(alice.socket)).toMatchObject({ quotaBytes: 2000, usedBytes: 2000 });

    const over = await create(base, alice.grant.token, newId(), 1);
    expect(over.status).toBe(413);
    expect(over.json).toMatchObject({ code: 41398, http: 413 });
    // Another account has its own quota.
    const bob = await device(relay, 'bob');
    expect((await create(base, bob.grant.token, newId(), 2000)).status).toBe(201);

    expect((await fetch(blobUrl(base, pending), { method: 'DELETE', headers: tus(alice.grant.token) })).status).toBe(204);
    expect((await tokenOf(alice.socket)).usedBytes).toBe(1200);
    expect((await create(base, alice.grant.token, newId(), 800)).status).toBe(201);
  });
});

describe('on the relay’s disk', () => {
  it('keeps only ciphertext files named by their ids: no metadata, names or types', async () => {
    const dir = tempDir();
    const { relay, base } = await relayIn(dir);
    const { grant } = await device(relay, 'alice');
    const done = crypto.randomBytes(3000);
    const doneId = newId();
    await upload(base, grant.token, doneId, done);
    const half = crypto.randomBytes(3000);
    const halfId = newId();
    expect((await create(base, grant.token, halfId, half.length)).status).toBe(201);
    expect((await patch(base, grant.token, halfId, 0, half.subarray(0, 1000))).status).toBe(204);

    expect(fs.readdirSync(blobsIn(dir)).sort()).toEqual([doneId, halfId].sort());
    expect(fs.readFileSync(path.join(blobsIn(dir), doneId)).equals(done)).toBe(true);
    expect(fs.readFileSync(path.join(blobsIn(dir), halfId)).equals(half.subarray(0, 1000))).toBe(true);
  });

  it('deletes blobs older than --queue-ttl and uploads unfinished after a day, files and rows', async () => {
    const dir = tempDir();
    const start = Date.now();
    const clock = { now: start };
    let { relay, base } = await relayIn(dir, { now: () => clock.now, queueTtl: '2h' });
    const { grant } = await device(relay, 'alice');
    const finished = newId();
    await upload(base, grant.token, finished, crypto.randomBytes(500));
    const unfinished = newId();
    expect((await create(base, grant.token, unfinished, 500)).status).toBe(201);
    expect((await patch(base, grant.token, unfinished, 0, crypto.randomBytes(100))).status).toBe(204);

    // Past its time, a blob is refused before the hourly prune comes.
    clock.now = start + 2 * 3600_000 + 60_000;
    expect((await download(base, finished)).status).toBe(404);
    expect(fs.existsSync(path.join(blobsIn(dir), finished))).toBe(true);

    // The prune (it runs when the relay starts, then hourly) deletes it; the unfinished upload is young enough.
    await relay.close();
    ({ relay, base } = await relayIn(dir, { now: () => clock.now, queueTtl: '2h' }));
    await waitFor(() => !fs.existsSync(path.join(blobsIn(dir), finished)), 10_000, 'the expired blob deleted');
    expect((await indexRows(dir)).map((r) => r.id)).toEqual([unfinished]);
    const head = await fetch(blobUrl(base, unfinished), { method: 'HEAD', headers: tus(grant.token) });
    expect(head.headers.get('upload-offset')).toBe('100');

    clock.now = start + UNFINISHED_UPLOAD_MS + 60_000;
    await relay.close();
    await relayIn(dir, { now: () => clock.now, queueTtl: '2h' });
    await waitFor(() => fs.readdirSync(blobsIn(dir)).length === 0, 10_000, 'the stale upload deleted');
    await waitFor(async () => (await indexRows(dir)).length === 0, 10_000, 'the stale upload’s row deleted');
  });

  it('keeps a finished blob another --queue-ttl when a device forwarding it asks; not a gone or unfinished one', async () => {
    const dir = tempDir();
    const start = Date.now();
    const clock = { now: start };
    let { relay, base } = await relayIn(dir, { now: () => clock.now, queueTtl: '2h' });
    const { grant } = await device(relay, 'alice');
    const { socket: bob } = await device(relay, 'bob');
    const [forwarded, left, unfinished, never] = [newId(), newId(), newId(), newId()];
    await upload(base, grant.token, forwarded, crypto.randomBytes(500));
    await upload(base, grant.token, left, crypto.randomBytes(500));
    expect((await create(base, grant.token, unfinished, 500)).status).toBe(201);

    const anonymous = await RawSocket.open(relay.url);
    cleanups.push(() => anonymous.close());
    expect(await anonymous.request({ type: 'blob-keep', id: 'k0', blobs: [forwarded] })).toMatchObject({ type: 'error', code: 'unauthenticated' });
    expect(await bob.request({ type: 'blob-keep', id: 'k1', blobs: ['not a blob id'] })).toMatchObject({ type: 'error', code: 'bad_frame' });

    // An hour and a half on, bob (a recipient, not the uploader) forwards one of them.
    clock.now = start + 90 * 60_000;
    const kept = await bob.request({ type: 'blob-keep', id: 'k2', blobs: [forwarded, unfinished, never, forwarded] });
    expect(kept).toMatchObject({ type: 'result', data: { kept: [forwarded] } });

    // Past the first blob's time: the kept one is still there, through a restart and its prune; the other is gone.
    clock.now = start + 2 * 3600_000 + 60_000;
    expect((await download(base, left)).status).toBe(404);
    expect((await download(base, forwarded)).status).toBe(200);
    await relay.close();
    ({ relay, base } = await relayIn(dir, { now: () => clock.now, queueTtl: '2h' }));
    await waitFor(() => !fs.existsSync(path.join(blobsIn(dir), left)), 10_000, 'the blob not kept deleted');
    expect((await download(base, forwarded)).status).toBe(200);
    // Still alice's: it counts in her quota, not bob's.
    expect((await indexRows(dir)).find((r) => r.id === forwarded)?.owner).toBe('alice');

    // Its new time ends too.
    clock.now = start + 90 * 60_000 + 2 * 3600_000 + 60_000;
    expect((await download(base, forwarded)).status).toBe(404);
    const late = (await device(relay, 'carol')).socket;
    expect(await late.request({ type: 'blob-keep', id: 'k3', blobs: [forwarded] })).toMatchObject({ type: 'result', data: { kept: [] } });
  });
});

describe('the core’s upload attempt', () => {
  it('resumes from the relay’s offset, reading the rest of the file, and the relay serves the same bytes', async () => {
    const dir = tempDir();
    const { relay, base } = await relayIn(dir);
    const { grant } = await device(relay, 'alice');
    const bytes = crypto.randomBytes(3 * MB + 17);
    const file = path.join(tempDir(), 'ciphertext');
    fs.writeFileSync(file, bytes);
    const id = newId();
    expect((await create(base, grant.token, id, bytes.length)).status).toBe(201);
    expect((await patch(base, grant.token, id, 0, bytes.subarray(0, MB + 5))).status).toBe(204);

    const progress: number[] = [];
    const attempt = startUpload({
      id,
      file,
      cipherSize: bytes.length,
      endpoint: `${base}${BLOBS_PATH}`,
      uploadUrl: blobUrl(base, id),
      token: grant.token,
      onUrl: () => undefined,
      onProgress: (sent) => progress.push(sent),
      onChunk: () => undefined,
    });
    await attempt.done;
    expect(progress[0]).toBe(MB + 5);
    const served = await download(base, id);
    expect(served.status).toBe(200);
    expect(served.bytes.equals(bytes)).toBe(true);
  });

  it('fails the attempt, and only the attempt, when the file cannot be read', async () => {
    const dir = tempDir();
    const { relay, base } = await relayIn(dir);
    const { grant } = await device(relay, 'alice');
    const attempt = startUpload({
      id: newId(),
      file: path.join(tempDir(), 'gone'),
      cipherSize: 1000,
      endpoint: `${base}${BLOBS_PATH}`,
      uploadUrl: null,
      token: grant.token,
      onUrl: () => undefined,
      onProgress: () => undefined,
      onChunk: () => undefined,
    });
    await expect(attempt.done).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
