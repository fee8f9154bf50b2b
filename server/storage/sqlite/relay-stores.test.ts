// The SQLite stores on one relay.sqlite: the suite every back end passes, and what is SQLite's own:
// another process's writes seen through data_version, and the group commit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS, device, relayStoresSuite } from '../../../tests/relay-stores-suite.js';
import type { RelayStores } from '../relay-stores.js';
import { openSqliteRelayStores } from './relay-stores.js';

const open: RelayStores[] = [];
afterEach(async () => {
  for (const stores of open.splice(0)) await stores.close();
});

function newStores(): RelayStores {
  const stores = openSqliteRelayStores(fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-relay-stores-')));
  open.push(stores);
  return stores;
}

relayStoresSuite('SQLite', async () => newStores());

describe('the SQLite relay stores, on their own', () => {
  it('read again what another process changed (an administration command while the relay runs)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-relay-stores-'));
    const relay = openSqliteRelayStores(dir);
    open.push(relay);
    await relay.accounts.registerAccount('bob', 'b', device('bob-1'), 1);
    await relay.presence.addContacts('alice', ['bob']);
    await relay.presence.setHidden('bob', true);
    expect(await relay.accounts.devicesOf('bob')).toEqual(['bob-1']);
    expect(await relay.presence.notWrittenTo('alice', ['bob'])).toEqual([]);
    expect(await relay.presence.isHidden('bob')).toBe(true);

    const command = openSqliteRelayStores(dir, 'command');
    expect(await command.accounts.resetAccount('bob')).toBe(true);
    await command.close();
    // The relay looks for other writers at most once a millisecond.
    await new Promise((r) => setTimeout(r, 5));

    expect(await relay.accounts.account('bob')).toBeUndefined();
    expect(await relay.accounts.deviceByKey('bob-1')).toBeUndefined();
    expect(await relay.presence.isHidden('bob')).toBe(false);
    expect(await relay.presence.audienceOf('alice')).toEqual([]);
  });

  it('are refused to a relay without the journal while the journal of one that had it holds envelopes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-relay-stores-'));
    const alone = openSqliteRelayStores(dir);
    await alone.accounts.registerAccount('bob', 'b', device('bob-1'), 1);
    const send = (stores: RelayStores) =>
      stores.queues.storeMessage(
        { messageId: 'm1', fromUsername: 'alice', fromDevice: 'alice-1', serverTime: 5, copies: [{ device: 'bob-1', owner: 'bob', sealed: '{}' }] },
        LIMITS,
      );
    expect(await send(alone)).toMatchObject({ stored: true });
    // As after a crash: the envelope and its send id are in the journal alone.
    expect(() => openSqliteRelayStores(dir, 'shared')).toThrow(/holds the queue journal of a relay that ran there with --queue-journal/);

    await alone.close();
    const node = openSqliteRelayStores(dir, 'shared');
    open.push(node);
    expect((await node.queues.pending('bob-1', 0, 10)).map((e) => e.messageId)).toEqual(['m1']);
    expect(await send(node)).toEqual({ stored: false, duplicate: true, serverTime: 5 });
  });

  it('commit writes of different stores together, one failing write undoing none of the others', async () => {
    const stores = newStores();
    await stores.accounts.registerAccount('alice', 'a', device('alice-1'), 1);
    const push = { id: 'push-1', time: 10, expires: 20, event: 'message' as const, topic: 'ops', message: 'Backup done' };
    const [stored, tooMany, cached, bundles] = await Promise.allSettled([
      stores.queues.storeMessage(
        { messageId: 'm1', fromUsername: 'alice', fromDevice: 'alice-1', serverTime: 5, copies: [{ device: 'alice-1', owner: 'alice', sealed: '{}' }] },
        LIMITS,
      ),
      stores.preKeys.storePreKeys('alice-1', device('alice-1', 201).preKeys),
      stores.pushCache.storePush(push),
      stores.preKeys.takeBundles('alice', ['alice-1']),
    ]);
    expect(stored).toMatchObject({ status: 'fulfilled', value: { stored: true } });
    expect(tooMany).toMatchObject({ status: 'rejected', reason: expect.any(RangeError) });
    expect(cached).toMatchObject({ status: 'fulfilled' });
    expect(bundles).toMatchObject({ status: 'fulfilled', value: { remaining: { 'alice-1': 2 } } });
    expect((await stores.queues.pending('alice-1', 0, 10)).map((e) => e.messageId)).toEqual(['m1']);
    expect((await stores.pushCache.pushes(['ops'], { fromTime: 0 }, 15, 10)).map((p) => p.id)).toEqual(['push-1']);
  });
});
