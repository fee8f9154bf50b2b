// What the push cache, the push API's users and the two attachment indexes must do on any back end
// (SQLite on one machine, PostgreSQL shared by several nodes): run by each back end's test file.
import { afterEach, describe, expect, it } from 'vitest';
import type { PushMessage } from '../server/push/message.js';
import type { RelayStores } from '../server/storage/relay-stores.js';

export type PushStores = Pick<RelayStores, 'pushCache' | 'pushUsers' | 'blobIndex' | 'pushAttachments'>;

/** Opens empty stores for one test; `close` releases them. */
export type OpenPushStores = () => Promise<{ stores: PushStores; close: () => Promise<void> }>;

const push = (id: string, topic: string, time: number, expires = time + 100): PushMessage => ({ id, topic, time, expires, event: 'message', message: `text of ${id}` });
const ids = (pushes: PushMessage[]) => pushes.map((p) => p.id);

/** More than 32 bits, as sizes and quotas in bytes can be. */
const GB = 1024 ** 3;

export function pushStoresSuite(backEnd: string, open: OpenPushStores): void {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  async function stores(): Promise<PushStores> {
    const opened = await open();
    closers.push(opened.close);
    return opened.stores;
  }

  describe(`the push cache (${backEnd})`, () => {
    it('answers pushes after an id in the order they were stored, then from a time, then the latest', async () => {
      const { pushCache } = await stores();
      // Stored out of time order: the order is the store's, not the pushes' times.
      for (const p of [push('a', 'ops', 10), push('b', 'ops', 5), push('c', 'misc', 12), push('d', 'ops', 20)]) await pushCache.storePush(p);
      expect(ids(await pushCache.pushes(['ops'], { afterId: 'a' }, 30, 10))).toEqual(['b', 'd']);
      expect(ids(await pushCache.pushes(['ops', 'misc'], { afterId: 'b' }, 30, 10))).toEqual(['c', 'd']);
      expect(ids(await pushCache.pushes(['ops', 'misc'], { afterId: 'a' }, 30, 2))).toEqual(['b', 'c']);
      // An id the cache does not have (expired, or never seen): everything it has.
      expect(ids(await pushCache.pushes(['ops'], { afterId: 'gone' }, 30, 10))).toEqual(['a', 'b', 'd']);
      expect(ids(await pushCache.pushes(['ops'], { fromTime: 10 }, 30, 10))).toEqual(['a', 'd']);
      expect(ids(await pushCache.pushes(['ops', 'misc'], { latest: true }, 30, 10))).toEqual(['d']);
      expect(await pushCache.pushes(['nobody'], { latest: true }, 30, 10)).toEqual([]);
    });

    it('shows a push only from its time until it expires', async () => {
      const { pushCache } = await stores();
      await pushCache.storePush(push('now', 'ops', 10, 50));
      await pushCache.storePush(push('later', 'ops', 40, 90));
      expect(ids(await pushCache.pushes(['ops'], { fromTime: 0 }, 20, 10))).toEqual(['now']);
      expect(ids(await pushCache.pushes(['ops'], { latest: true }, 20, 10))).toEqual(['now']);
      expect(ids(await pushCache.pushes(['ops'], { afterId: 'now' }, 45, 10))).toEqual(['later']);
      expect(ids(await pushCache.pushes(['ops'], { fromTime: 0 }, 50, 10))).toEqual(['later']);
      expect(await pushCache.pushes(['ops'], { fromTime: 0 }, 90, 10)).toEqual([]);
    });

    it('keeps the whole message, and the first of two with one id', async () => {
      const { pushCache } = await stores();
      const full: PushMessage = { ...push('x', 'ops', 10), title: 'Backup', tags: ['warning'], priority: 4, content_type: 'text/markdown' };
      await pushCache.storePush(full);
      await pushCache.storePush({ ...full, message: 'a retry' });
      expect(await pushCache.pushes(['ops'], { fromTime: 0 }, 10, 10)).toEqual([full]);
    });

    it('lists delayed pushes by when they are due, and expires pushes by their expiry', async () => {
      const { pushCache } = await stores();
      for (const p of [push('due', 'ops', 10, 20), push('late', 'ops', 300, 400), push('soon', 'misc', 200, 400)]) await pushCache.storePush(p);
      expect(ids(await pushCache.scheduledPushes(100))).toEqual(['soon', 'late']);
      expect(ids(await pushCache.scheduledPushes(200))).toEqual(['late']);
      expect(await pushCache.expirePushes(19)).toBe(0);
      expect(await pushCache.expirePushes(20)).toBe(1);
      expect(ids(await pushCache.pushes(['ops', 'misc'], { fromTime: 0 }, 350, 10))).toEqual(['late', 'soon']);
      expect(await pushCache.expirePushes(1000)).toBe(2);
      expect(await pushCache.scheduledPushes(0)).toEqual([]);
    });
  });

  describe(`the push API's users (${backEnd})`, () => {
    it('save a user, change its password and role, and find it by an unexpired token', async () => {
      const { pushUsers } = await stores();
      expect(await pushUsers.pushUser('phil')).toBeUndefined();
      await pushUsers.savePushUser('phil', 'hash-1', 'user');
      expect(await pushUsers.pushUser('phil')).toEqual({ name: 'phil', role: 'user', passwordHash: 'hash-1' });
      await pushUsers.savePushUser('phil', 'hash-2', 'admin');
      expect(await pushUsers.pushUser('phil')).toEqual({ name: 'phil', role: 'admin', passwordHash: 'hash-2' });

      await pushUsers.addPushToken('phil', 'tok-forever', 'cli', null);
      await pushUsers.addPushToken('phil', 'tok-brief', 'cli', 100);
      expect(await pushUsers.pushUserByToken('tok-forever', 10_000)).toEqual({ name: 'phil', role: 'admin' });
      expect(await pushUsers.pushUserByToken('tok-brief', 99)).toEqual({ name: 'phil', role: 'admin' });
      expect(await pushUsers.pushUserByToken('tok-brief', 100)).toBeUndefined();
      expect(await pushUsers.pushUserByToken('tok-unknown', 0)).toBeUndefined();
    });

    it('refuse a token for no user, or a token hash already taken', async () => {
      const { pushUsers } = await stores();
      await expect(pushUsers.addPushToken('nobody', 'tok', 'cli', null)).rejects.toThrow();
      await pushUsers.savePushUser('phil', 'hash', 'user');
      await pushUsers.savePushUser('ben', 'hash', 'user');
      await pushUsers.addPushToken('phil', 'tok', 'cli', null);
      await expect(pushUsers.addPushToken('ben', 'tok', 'cli', null)).rejects.toThrow();
      expect(await pushUsers.pushUserByToken('tok', 0)).toEqual({ name: 'phil', role: 'user' });
    });

    it('set one rule per user and topic, for a user or everyone', async () => {
      const { pushUsers } = await stores();
      await pushUsers.setPushRule('phil', 'alerts', 'read-only');
      await pushUsers.setPushRule('phil', 'alerts', 'read-write');
      await pushUsers.setPushRule('phil', 'ops*', 'deny');
      await pushUsers.setPushRule('*', 'announce', 'read-only');
      const byTopic = (rules: { topic: string }[]) => [...rules].sort((a, b) => a.topic.localeCompare(b.topic));
      expect(byTopic(await pushUsers.pushRules('phil'))).toEqual([
        { topic: 'alerts', permission: 'read-write' },
        { topic: 'ops*', permission: 'deny' },
      ]);
      expect(await pushUsers.pushRules('*')).toEqual([{ topic: 'announce', permission: 'read-only' }]);
    });

    it('remove a user with its tokens and rules, and no one else’s', async () => {
      const { pushUsers } = await stores();
      await pushUsers.savePushUser('phil', 'hash', 'user');
      await pushUsers.addPushToken('phil', 'tok', 'cli', null);
      await pushUsers.setPushRule('phil', 'alerts', 'read-write');
      await pushUsers.setPushRule('*', 'alerts', 'read-only');
      expect(await pushUsers.removePushUser('phil')).toBe(true);
      expect(await pushUsers.removePushUser('phil')).toBe(false);
      expect(await pushUsers.pushUser('phil')).toBeUndefined();
      expect(await pushUsers.pushUserByToken('tok', 0)).toBeUndefined();
      expect(await pushUsers.pushRules('phil')).toEqual([]);
      expect(await pushUsers.pushRules('*')).toEqual([{ topic: 'alerts', permission: 'read-only' }]);
      // The name is free again, with nothing of the old user's.
      await pushUsers.savePushUser('phil', 'hash', 'user');
      expect(await pushUsers.pushUserByToken('tok', 0)).toBeUndefined();
    });
  });

  describe(`the blob index (${backEnd})`, () => {
    it('reserves an id within the owner’s quota, counting unfinished uploads, and only once', async () => {
      const { blobIndex } = await stores();
      expect(await blobIndex.reserve({ id: 'b1', owner: 'alice', size: 3 * GB, createdAt: 1 }, 5 * GB)).toBe('reserved');
      expect(await blobIndex.reserve({ id: 'b1', owner: 'bob', size: 1, createdAt: 1 }, 5 * GB)).toBe('exists');
      expect(await blobIndex.reserve({ id: 'b2', owner: 'alice', size: 2 * GB + 1, createdAt: 2 }, 5 * GB)).toBe('quota_exceeded');
      expect(await blobIndex.reserve({ id: 'b2', owner: 'alice', size: 2 * GB, createdAt: 2 }, 5 * GB)).toBe('reserved');
      // Another owner's quota is its own.
      expect(await blobIndex.reserve({ id: 'b3', owner: 'bob', size: 5 * GB, createdAt: 3 }, 5 * GB)).toBe('reserved');
      expect(await blobIndex.usedBytes('alice')).toBe(5 * GB);
      expect(await blobIndex.usedBytes('carol')).toBe(0);
      expect(await blobIndex.get('b1')).toEqual({ id: 'b1', owner: 'alice', size: 3 * GB, createdAt: 1, completedAt: null, keptAt: null });
      expect(await blobIndex.get('b9')).toBeUndefined();
      await blobIndex.remove('b1');
      expect(await blobIndex.get('b1')).toBeUndefined();
      expect(await blobIndex.usedBytes('alice')).toBe(2 * GB);
    });

    it('completes an upload once, and keeps only a finished blob, from its latest request', async () => {
      const { blobIndex } = await stores();
      await blobIndex.reserve({ id: 'b1', owner: 'alice', size: 10, createdAt: 1 }, 100);
      expect(await blobIndex.keep('b1', 5)).toBe(false);
      await blobIndex.complete('b1', 10);
      await blobIndex.complete('b1', 20);
      expect(await blobIndex.keep('b1', 30)).toBe(true);
      expect(await blobIndex.keep('b1', 25)).toBe(true);
      expect(await blobIndex.get('b1')).toEqual({ id: 'b1', owner: 'alice', size: 10, createdAt: 1, completedAt: 10, keptAt: 30 });
      expect(await blobIndex.keep('none', 30)).toBe(false);
    });

    it('finds blobs finished (and kept) too long ago and uploads never finished', async () => {
      const { blobIndex } = await stores();
      const add = async (id: string, createdAt: number, completedAt?: number, keptAt?: number) => {
        await blobIndex.reserve({ id, owner: 'alice', size: 1, createdAt }, 100);
        if (completedAt !== undefined) await blobIndex.complete(id, completedAt);
        if (keptAt !== undefined) await blobIndex.keep(id, keptAt);
      };
      await add('old-done', 1, 5);
      await add('new-done', 1, 50);
      await add('old-kept', 1, 5, 60);
      await add('old-open', 5);
      await add('new-open', 50);
      expect((await blobIndex.expired(40, 40, 10)).sort()).toEqual(['old-done', 'old-open']);
      expect((await blobIndex.expired(100, 100, 10)).sort()).toEqual(['new-done', 'new-open', 'old-done', 'old-kept', 'old-open']);
      expect(await blobIndex.expired(100, 100, 2)).toHaveLength(2);
    });
  });

  describe(`the push attachments' index (${backEnd})`, () => {
    it('claims files while all together stay within the total', async () => {
      const { pushAttachments } = await stores();
      expect(await pushAttachments.claim({ id: 'f1', size: 3 * GB, expires: 100 }, 5 * GB)).toBe(true);
      expect(await pushAttachments.claim({ id: 'f2', size: 2 * GB + 1, expires: 100 }, 5 * GB)).toBe(false);
      expect(await pushAttachments.get('f2')).toBeUndefined();
      expect(await pushAttachments.claim({ id: 'f2', size: 2 * GB, expires: 100 }, 5 * GB)).toBe(true);
      expect(await pushAttachments.totalBytes()).toBe(5 * GB);
      expect(await pushAttachments.get('f1')).toEqual({ id: 'f1', size: 3 * GB, expires: 100 });
      await expect(pushAttachments.claim({ id: 'f1', size: 0, expires: 100 }, 10 * GB)).rejects.toThrow();
      await pushAttachments.remove('f1');
      expect(await pushAttachments.get('f1')).toBeUndefined();
      expect(await pushAttachments.totalBytes()).toBe(2 * GB);
    });

    it('finds files expired by now, soonest first', async () => {
      const { pushAttachments } = await stores();
      for (const [id, expires] of [['late', 30], ['early', 10], ['mid', 20], ['future', 99]] as const) {
        await pushAttachments.claim({ id, size: 1, expires }, 100);
      }
      expect(await pushAttachments.expired(30, 10)).toEqual(['early', 'mid', 'late']);
      expect(await pushAttachments.expired(30, 2)).toEqual(['early', 'mid']);
      expect(await pushAttachments.expired(9, 10)).toEqual([]);
    });
  });
}
