// What every back end of the relay stores must do, run on each (relay-stores.test.ts in
// server/storage/sqlite/ and server/storage/postgres/): the operations that span concerns stay one
// transaction, and what is read after a change is the change.
import { describe, expect, it } from 'vitest';
import type { NewDevice } from '../server/storage/account-store.js';
import type { RelayStores } from '../server/storage/relay-stores.js';

/** The stores every back end has in this suite (the push and blob stores have tests of their own). */
export type MessagingStores = Pick<RelayStores, 'accounts' | 'queues' | 'preKeys' | 'presence' | 'relayIdentity'>;

/** The relay checks keys and signatures before it stores them; the stores take them as given. */
export function device(key: string, oneTimePreKeys = 3): NewDevice {
  return {
    identityKey: key,
    certificate: `certificate of ${key}`,
    preKeys: {
      signedPreKey: { id: 1, publicKey: `spk of ${key}`, signature: `signature of ${key}` },
      oneTimePreKeys: Array.from({ length: oneTimePreKeys }, (_, i) => ({ id: i + 1, publicKey: `opk ${i + 1} of ${key}` })),
    },
  };
}

/** Roomy enough for every test but the one about full queues. */
export const LIMITS = { messages: 1000, bytes: 1_000_000 };

/** Devices are named after their account: bob-1 is one of bob's. */
export async function message(stores: MessagingStores, id: string, from: { username: string; device: string }, to: string[]) {
  const result = await stores.queues.storeMessage(
    {
      messageId: id,
      fromUsername: from.username,
      fromDevice: from.device,
      serverTime: 1000,
      copies: to.map((d) => ({ device: d, owner: d.replace(/-\d+$/, ''), sealed: `{"to":"${d}"}` })),
    },
    LIMITS,
  );
  if (!result.stored) throw new Error(`${id} was not stored`);
  return result;
}

/** The suite, on stores that `newStores` opens empty for each test (and closes after it). */
export function relayStoresSuite(backEnd: string, newStores: () => Promise<MessagingStores>): void {
  describe(`the ${backEnd} relay stores`, () => {
    it('register an account with its device and prekeys all together, or not at all', async () => {
      const stores = await newStores();
      await expect(stores.accounts.registerAccount('alice', 'account-key', device('alice-1', 201), 1)).rejects.toThrow(RangeError);
      expect(await stores.accounts.account('alice')).toBeUndefined();
      expect(await stores.accounts.deviceByKey('alice-1')).toBeUndefined();
      expect(await stores.preKeys.preKeyCount('alice-1')).toBe(0);

      expect(await stores.accounts.registerAccount('alice', 'account-key', device('alice-1'), 1)).toEqual({ ok: true });
      expect(await stores.accounts.account('alice')).toEqual({
        accountKey: 'account-key',
        devices: [{ key: 'alice-1', certificate: 'certificate of alice-1' }],
      });
      expect(await stores.preKeys.preKeyCount('alice-1')).toBe(3);
      expect(await stores.accounts.registerAccount('alice', 'other-key', device('alice-2'), 2)).toEqual({ ok: false, reason: 'username_taken' });
      expect(await stores.accounts.addDevice('alice', device('alice-1'), 2)).toEqual({ ok: false, reason: 'device_exists' });
    });

    it('unlink a device with its queue, its count of expired messages and its prekeys', async () => {
      const stores = await newStores();
      await stores.accounts.registerAccount('alice', 'a', device('alice-1'), 1);
      await stores.accounts.addDevice('alice', device('alice-2'), 2);
      await stores.accounts.registerAccount('bob', 'b', device('bob-1'), 1);
      await message(stores, 'm1', { username: 'bob', device: 'bob-1' }, ['alice-1', 'alice-2']);
      expect(await stores.queues.expire(1001, 'alice-2')).toBe(1);
      await message(stores, 'm2', { username: 'bob', device: 'bob-1' }, ['alice-2']);

      expect(await stores.accounts.removeDevice('bob', 'alice-2')).toBe(false);
      expect(await stores.accounts.removeDevice('alice', 'alice-2')).toBe(true);
      expect(await stores.accounts.devicesOf('alice')).toEqual(['alice-1']);
      expect(await stores.queues.pending('alice-2', 0, 10)).toEqual([]);
      expect(await stores.queues.takeMissed('alice-2', 0)).toEqual({ expired: 0, refused: 0 });
      expect(await stores.preKeys.preKeyCount('alice-2')).toBe(0);
      expect((await stores.queues.pending('alice-1', 0, 10)).map((e) => e.messageId)).toEqual(['m1']);
    });

    it('tell a device at login, once, what expired while it was away', async () => {
      const stores = await newStores();
      await message(stores, 'm1', { username: 'bob', device: 'bob-1' }, ['alice-1']);
      await message(stores, 'm2', { username: 'bob', device: 'bob-1' }, ['alice-1', 'alice-2']);
      // Queued at 1000: a login with a deadline of 1000 keeps them, one of 1001 expires them.
      expect(await stores.queues.takeMissed('alice-1', 1000)).toEqual({ expired: 0, refused: 0 });
      expect(await stores.queues.pending('alice-1', 0, 10)).toHaveLength(2);
      expect(await stores.queues.takeMissed('alice-1', 1001)).toEqual({ expired: 2, refused: 0 });
      expect(await stores.queues.pending('alice-1', 0, 10)).toEqual([]);
      expect(await stores.queues.takeMissed('alice-1', 1001)).toEqual({ expired: 0, refused: 0 });
      // Another device's queue is its own.
      expect((await stores.queues.pending('alice-2', 0, 10)).map((e) => e.messageId)).toEqual(['m2']);
    });

    it('expire every device’s old messages at once (the hourly job), each told at its next login', async () => {
      const stores = await newStores();
      await message(stores, 'm1', { username: 'bob', device: 'bob-1' }, ['alice-1', 'alice-2']);
      await message(stores, 'm2', { username: 'bob', device: 'bob-1' }, ['alice-1']);
      expect(await stores.queues.expire(1000)).toBe(0);
      expect(await stores.queues.expire(1001)).toBe(3);
      expect(await stores.queues.pending('alice-1', 0, 10)).toEqual([]);
      expect(await stores.queues.pending('alice-2', 0, 10)).toEqual([]);
      expect(await stores.queues.takeMissed('alice-1', 0)).toEqual({ expired: 2, refused: 0 });
      expect(await stores.queues.takeMissed('alice-2', 0)).toEqual({ expired: 1, refused: 0 });
      expect(await stores.queues.takeMissed('alice-1', 0)).toEqual({ expired: 0, refused: 0 });
    });

    it('read again, after each change, what they answer from memory', async () => {
      const stores = await newStores();
      await stores.accounts.registerAccount('alice', 'a', device('alice-1'), 1);
      await stores.accounts.registerAccount('bob', 'b', device('bob-1'), 1);
      const keys = async (username: string) => (await stores.accounts.account(username))?.devices.map((d) => d.key);
      expect(await keys('alice')).toEqual(['alice-1']);
      await stores.accounts.addDevice('alice', device('alice-2'), 2);
      expect(await keys('alice')).toEqual(['alice-1', 'alice-2']);
      expect(await stores.accounts.devicesOf('alice')).toEqual(['alice-1', 'alice-2']);
      await stores.accounts.removeDevice('alice', 'alice-1');
      expect(await keys('alice')).toEqual(['alice-2']);
      expect(await stores.accounts.deviceByKey('alice-1')).toBeUndefined();

      expect(await stores.presence.notWrittenTo('alice', ['bob', 'carol', 'alice'])).toEqual(['bob', 'carol']);
      await stores.presence.addContacts('alice', ['bob']);
      expect(await stores.presence.notWrittenTo('alice', ['bob', 'carol'])).toEqual(['carol']);
      expect(await stores.presence.removeContacts('alice', ['bob', 'carol'])).toEqual(['bob']);
      expect(await stores.presence.notWrittenTo('alice', ['bob'])).toEqual(['bob']);

      expect(await stores.presence.isHidden('bob')).toBe(false);
      await stores.presence.setHidden('bob', true);
      expect(await stores.presence.isHidden('bob')).toBe(true);

      await stores.presence.addContacts('bob', ['alice']);
      expect(await stores.accounts.resetAccount('alice')).toBe(true);
      expect(await stores.accounts.account('alice')).toBeUndefined();
      expect(await stores.accounts.deviceByKey('alice-2')).toBeUndefined();
      expect(await stores.presence.audienceOf('bob')).toEqual([]);
      // The name is free again, and its new account is what is read.
      await stores.accounts.registerAccount('alice', 'a2', device('alice-3'), 3);
      expect(await stores.accounts.account('alice')).toEqual({ accountKey: 'a2', devices: [{ key: 'alice-3', certificate: 'certificate of alice-3' }] });
    });

    it('forget nothing in memory that a failed write did not change', async () => {
      const stores = await newStores();
      await stores.accounts.registerAccount('alice', 'a', device('alice-1'), 1);
      expect(await stores.accounts.devicesOf('alice')).toEqual(['alice-1']);
      // Too many prekeys: the device row goes in, then the transaction fails and takes it back out.
      await expect(stores.accounts.addDevice('alice', device('alice-2', 201), 2)).rejects.toThrow(RangeError);
      expect(await stores.accounts.devicesOf('alice')).toEqual(['alice-1']);
      expect(await stores.accounts.deviceByKey('alice-2')).toBeUndefined();
    });

    it('keep a full queue’s oldest messages, refusing a send only when none of an account’s devices has room', async () => {
      const stores = await newStores();
      const limits = { messages: 2, bytes: 1000 };
      const send = (id: string, copies: { device: string; owner: string; sealed?: string }[]) =>
        stores.queues.storeMessage(
          { messageId: id, fromUsername: 'mallory', fromDevice: 'mallory-1', serverTime: 1000, copies: copies.map((c) => ({ sealed: '{"x":1}', ...c })) },
          limits,
        );
      const bob1 = { device: 'bob-1', owner: 'bob' };
      const bob2 = { device: 'bob-2', owner: 'bob' };
      const mine = { device: 'mallory-2', owner: 'mallory' };
      expect((await send('m1', [bob1, bob2])).stored).toBe(true);
      expect((await send('m2', [bob1])).stored).toBe(true);
      // bob-1 is full; bob-2 still has room, so bob gets m3 there and bob-1 counts one refused.
      const m3 = await send('m3', [bob1, bob2, mine]);
      expect(m3).toMatchObject({ stored: true, serverTime: 1000 });
      const queued = m3.stored ? m3.queued : [];
      expect(queued.map((q) => q.device)).toEqual(['bob-2', 'mallory-2']);
      // What is handed to the sessions is what the queues hold.
      for (const { device: d, envelope } of queued) expect((await stores.queues.pending(d, 0, 10)).at(-1)).toEqual(envelope);
      // Both of bob's queues are full: nothing is stored, not even the sender's own copy.
      expect(await send('m4', [bob1, bob2, mine])).toEqual({ stored: false, duplicate: false, full: ['bob'] });
      expect((await stores.queues.pending('mallory-2', 0, 10)).map((e) => e.messageId)).toEqual(['m3']);
      // A refused send was never recorded as sent: once bob-1 reads, the same id goes through.
      const [first] = await stores.queues.pending('bob-1', 0, 10);
      await stores.queues.ack('bob-1', [first!.seq], 2000);
      expect((await send('m4', [bob1, bob2])).stored).toBe(true);
      expect((await stores.queues.pending('bob-1', 0, 10)).map((e) => e.messageId)).toEqual(['m2', 'm4']);
      // Told per device: m3 and the first m4 for bob-1; both m4s for bob-2.
      expect(await stores.queues.takeMissed('bob-1', 0)).toEqual({ expired: 0, refused: 2 });
      expect(await stores.queues.takeMissed('bob-1', 0)).toEqual({ expired: 0, refused: 0 });
      expect(await stores.queues.takeMissed('bob-2', 0)).toEqual({ expired: 0, refused: 2 });
      // Bytes count as well as messages.
      const big = 'y'.repeat(1001);
      expect(await send('m5', [{ device: 'carol-1', owner: 'carol', sealed: big }])).toEqual({ stored: false, duplicate: false, full: ['carol'] });
    });

    it('queue a delivery receipt to each of the sender’s devices on ack, unless the reader hides', async () => {
      const stores = await newStores();
      await stores.accounts.registerAccount('alice', 'a', device('alice-1'), 1);
      await stores.accounts.addDevice('alice', device('alice-2'), 2);
      await stores.accounts.registerAccount('bob', 'b', device('bob-1'), 1);
      await message(stores, 'seen', { username: 'alice', device: 'alice-1' }, ['bob-1', 'alice-2']);

      const [forBob] = await stores.queues.pending('bob-1', 0, 10);
      const acked = await stores.queues.ack('bob-1', [forBob!.seq], 5000);
      expect(acked.removed).toBe(1);
      const receipts = await stores.queues.pending('alice-1', 0, 10);
      expect(receipts).toEqual([{ seq: expect.any(Number), kind: 'delivered', messageId: 'seen', fromUsername: 'bob', fromDevice: 'bob-1', serverTime: 5000 }]);
      // What the ack hands to the sessions is what the queues hold.
      expect(acked.queued).toEqual([
        { device: 'alice-1', envelope: receipts[0] },
        { device: 'alice-2', envelope: (await stores.queues.pending('alice-2', 0, 10)).find((e) => e.kind === 'delivered') },
      ]);

      // Alice's own other device acking her message is no delivery.
      const [own] = await stores.queues.pending('alice-2', 0, 10);
      expect(await stores.queues.ack('alice-2', [own!.seq], 5000)).toEqual({ removed: 1, queued: [] });

      await stores.presence.setHidden('bob', true);
      await message(stores, 'unseen', { username: 'alice', device: 'alice-1' }, ['bob-1']);
      const [hidden] = await stores.queues.pending('bob-1', 0, 10);
      expect(await stores.queues.ack('bob-1', [hidden!.seq], 6000)).toEqual({ removed: 1, queued: [] });
      expect((await stores.queues.pending('alice-1', 0, 10)).map((e) => e.messageId)).toEqual(['seen']);
    });

    it('reset an account: devices, queues, prekeys and presence go, and the name is free again', async () => {
      const stores = await newStores();
      await stores.accounts.registerAccount('alice', 'a', device('alice-1'), 1);
      await stores.accounts.registerAccount('bob', 'b', device('bob-1'), 1);
      await message(stores, 'm1', { username: 'alice', device: 'alice-1' }, ['bob-1']);
      await stores.presence.addContacts('bob', ['alice']);
      await stores.presence.addContacts('alice', ['bob']);
      await stores.presence.setLastSeen('bob', 1234);
      await stores.presence.setHidden('bob', true);

      expect(await stores.accounts.resetAccount('nobody')).toBe(false);
      expect(await stores.accounts.resetAccount('bob')).toBe(true);
      expect(await stores.accounts.account('bob')).toBeUndefined();
      expect(await stores.queues.pending('bob-1', 0, 10)).toEqual([]);
      expect(await stores.preKeys.preKeyCount('bob-1')).toBe(0);
      expect(await stores.presence.audienceOf('alice')).toEqual([]);
      expect(await stores.presence.writersTo('alice')).toEqual([]);
      expect(await stores.presence.lastSeen('bob')).toBeNull();
      expect(await stores.presence.isHidden('bob')).toBe(false);
      expect(await stores.accounts.registerAccount('bob', 'new-b', device('bob-2'), 3)).toEqual({ ok: true });
    });

    it('store a repeated send once, answering the first send’s time, until its id is pruned', async () => {
      const stores = await newStores();
      const send = (serverTime: number) =>
        stores.queues.storeMessage(
          { messageId: 'm1', fromUsername: 'bob', fromDevice: 'bob-1', serverTime, copies: [{ device: 'alice-1', owner: 'alice', sealed: '{}' }] },
          LIMITS,
        );
      expect(await send(1000)).toMatchObject({ stored: true, serverTime: 1000 });
      expect(await send(2000)).toEqual({ stored: false, duplicate: true, serverTime: 1000 });
      expect(await stores.queues.pending('alice-1', 0, 10)).toHaveLength(1);
      expect(await stores.queues.pruneSent(1000)).toBe(0);
      expect(await stores.queues.pruneSent(1001)).toBe(1);
      expect(await send(3000)).toMatchObject({ stored: true, serverTime: 3000 });
      expect((await stores.queues.pending('alice-1', 0, 10)).map((e) => e.serverTime)).toEqual([1000, 3000]);
    });

    it('hand out each one-time prekey once, and bundles only of the account’s own devices', async () => {
      const stores = await newStores();
      await stores.accounts.registerAccount('alice', 'a', device('alice-1', 2), 1);
      await stores.accounts.addDevice('alice', device('alice-2', 0), 2);
      await stores.accounts.registerAccount('bob', 'b', device('bob-1'), 1);
      const first = await stores.preKeys.takeBundles('alice', ['alice-1', 'alice-2', 'bob-1', 'nobody-1', 'alice-1']);
      expect(first.bundles.map((b) => [b.device, b.oneTimePreKey?.id ?? null])).toEqual([
        ['alice-1', 1],
        ['alice-2', null],
      ]);
      expect(first.bundles[0]!.signedPreKey).toEqual({ id: 1, publicKey: 'spk of alice-1', signature: 'signature of alice-1' });
      expect(first.remaining).toEqual({ 'alice-1': 1, 'alice-2': 0 });
      expect((await stores.preKeys.takeBundles('alice', ['alice-1'])).bundles[0]!.oneTimePreKey).toEqual({ id: 2, publicKey: 'opk 2 of alice-1' });
      expect((await stores.preKeys.takeBundles('alice', ['alice-1'])).bundles[0]!.oneTimePreKey).toBeNull();
      // An upload replaces the signed prekey and tops up; a repeated id keeps its last key.
      const upload = { signedPreKey: { id: 2, publicKey: 'spk2', signature: 'sig2' }, oneTimePreKeys: [{ id: 7, publicKey: 'x' }, { id: 7, publicKey: 'y' }] };
      expect(await stores.preKeys.storePreKeys('alice-1', upload)).toBe(1);
      expect((await stores.preKeys.takeBundles('alice', ['alice-1'])).bundles).toEqual([
        { device: 'alice-1', signedPreKey: { id: 2, publicKey: 'spk2', signature: 'sig2' }, oneTimePreKey: { id: 7, publicKey: 'y' } },
      ]);
    });

    it('make the relay key once and keep it', async () => {
      const stores = await newStores();
      const first = await stores.relayIdentity.loadOrCreate(() => ({ publicKey: 'p1', secretKey: 's1' }));
      expect(first).toEqual({ publicKey: 'p1', secretKey: 's1' });
      expect(await stores.relayIdentity.loadOrCreate(() => ({ publicKey: 'p2', secretKey: 's2' }))).toEqual(first);
    });

    it('keep last seen and hiding per account', async () => {
      const stores = await newStores();
      expect(await stores.presence.lastSeen('alice')).toBeNull();
      await stores.presence.setLastSeen('alice', 1_700_000_000_123);
      expect(await stores.presence.lastSeen('alice')).toBe(1_700_000_000_123);
      await stores.presence.setLastSeen('alice', null);
      expect(await stores.presence.lastSeen('alice')).toBeNull();
      await stores.presence.setHidden('alice', true);
      await stores.presence.setHidden('alice', true);
      await stores.presence.setHidden('alice', false);
      expect(await stores.presence.isHidden('alice')).toBe(false);
      await stores.presence.addContacts('alice', ['carol', 'bob', 'alice']);
      await stores.presence.addContacts('dave', ['bob']);
      expect(await stores.presence.audienceOf('alice')).toEqual(['bob', 'carol']);
      expect(await stores.presence.writersTo('bob')).toEqual(['alice', 'dave']);
    });
  });
}
