import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { cleanName, detectType, PushAttachments } from './attachments.js';
import { openSqliteRelayStores } from '../storage/sqlite/relay-stores.js';

describe('push attachments on disk', () => {
  it('expires files after the expiry duration, and keeps the total in the relay database', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-push-files-'));
    const dir = path.join(data, 'push-attachments');
    const limits = { fileBytes: 1000, totalBytes: 1500, expiryMs: 3 * 3600_000 };
    const log = pino({ level: 'silent' });
    let now = Date.parse('2026-12-04T12:00:00Z');
    const stores = openSqliteRelayStores(data);
    const files = new PushAttachments(dir, limits, stores.pushAttachments, log, () => now);
    expect(await files.store('aaa', Buffer.from('hello'), Readable.from([Buffer.alloc(795)]))).toEqual({ size: 800, expires: now / 1000 + 3 * 3600 });
    await stores.close();

    // Reopened (a restart): 800 bytes are still taken, so 800 more would pass 1,500.
    const reopened = openSqliteRelayStores(data);
    const again = new PushAttachments(dir, limits, reopened.pushAttachments, log, () => now);
    await expect(again.admit(800)).rejects.toMatchObject({ code: 'attachment_too_large' });
    await expect(again.store('bbb', Buffer.alloc(0), Readable.from([Buffer.alloc(800)]))).rejects.toMatchObject({ code: 'attachment_too_large' });
    expect(fs.readdirSync(dir)).toEqual(['aaa']);
    expect((await again.open('aaa'))?.size).toBe(800);

    // Expired: not served from that second on, and deleted by the next prune.
    now += 3 * 3600_000;
    expect(await again.open('aaa')).toBeNull();
    expect(await again.expire(now - 1000)).toBe(0);
    expect(await again.expire(now)).toBe(1);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect((await again.store('ccc', Buffer.alloc(0), Readable.from([Buffer.alloc(900)]))).size).toBe(900);
    await again.admit(600);
    await reopened.close();
  });

  it('lets only as many of several uploads at once through as fit together', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-push-files-'));
    const stores = openSqliteRelayStores(data);
    const files = new PushAttachments(path.join(data, 'push-attachments'), { fileBytes: 1000, totalBytes: 1500, expiryMs: 60_000 }, stores.pushAttachments, pino({ level: 'silent' }));
    const results = await Promise.allSettled(['a', 'b', 'c'].map((id) => files.store(id, Buffer.alloc(0), Readable.from([Buffer.alloc(700)]))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(fs.readdirSync(path.join(data, 'push-attachments'))).toHaveLength(2);
    expect(await stores.pushAttachments.totalBytes()).toBe(1400);
    await stores.close();
  });

  it('detects types as ntfy sniffs them, and cleans names', () => {
    expect(detectType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), undefined)).toEqual({ type: 'image/png', ext: '.png' });
    expect(detectType(Buffer.from('plain words é'), undefined)).toEqual({ type: 'text/plain; charset=utf-8', ext: '.txt' });
    // A character cut at the end of the sniffed part is still text.
    expect(detectType(Buffer.from('é').subarray(0, 1), undefined).type).toBe('text/plain; charset=utf-8');
    expect(detectType(Buffer.from([0xff, 0xfe, 0x00, 0x9f]), undefined)).toEqual({ type: 'application/octet-stream', ext: '.bin' });
    expect(detectType(Buffer.from('{}'), 'data.json').type).toBe('application/json');
    expect(cleanName('../../etc/passwd')).toBe('passwd');
    expect(cleanName('a\u0000b\r\n.txt')).toBe('ab.txt');
  });
});
