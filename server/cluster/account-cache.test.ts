// Accounts kept on each node of a relay on PostgreSQL: a device linked or unlinked through any node
// is seen by every node at its next read; a change nobody announced (another program's) within
// MAX_AGE_MS; and a read that raced a change is not kept.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresForTests } from '../../tests/postgres-nodes.js';
import { testLink } from '../../tests/redis.js';
import { device } from '../../tests/relay-stores-suite.js';
import type { AccountStore } from '../storage/account-store.js';
import { openPostgresCoreStores } from '../storage/postgres/relay-stores.js';
import { CachedAccountStore, MAX_AGE_MS } from './account-cache.js';
import type { RedisLink } from './redis.js';

const postgres = postgresForTests();
const links: RedisLink[] = [];
const caches: CachedAccountStore[] = [];
afterEach(async () => {
  for (const cache of caches.splice(0)) cache.close();
  await Promise.all(links.splice(0).map((l) => l.close()));
});

/** Two nodes on one database and one Redis namespace, each with its cache; and the database without one. */
async function twoNodes(now: () => number = Date.now): Promise<{ a: CachedAccountStore; b: CachedAccountStore; direct: AccountStore }> {
  await postgres.empty();
  const relay = `accounts-${randomBytes(6).toString('hex')}`;
  const [dbA, dbB, dbDirect] = await Promise.all([postgres.node(), postgres.node(), postgres.node()]);
  const [linkA, linkB] = await Promise.all([testLink('node-a', relay), testLink('node-b', relay)]);
  links.push(linkA, linkB);
  const a = new CachedAccountStore(openPostgresCoreStores(dbA).accounts, linkA.bus, now);
  const b = new CachedAccountStore(openPostgresCoreStores(dbB).accounts, linkB.bus, now);
  caches.push(a, b);
  await Promise.all([a.ready(), b.ready()]);
  return { a, b, direct: openPostgresCoreStores(dbDirect).accounts };
}

const keysOf = async (store: AccountStore, username: string) => (await store.account(username))?.devices.map((d) => d.key);

/** Polls until `read` gives `want` (a bus message is on its way), or fails after two seconds. */
async function eventually<T>(read: () => Promise<T>, want: T): Promise<void> {
  const until = Date.now() + 2000;
  for (;;) {
    const got = await read();
    if (JSON.stringify(got) === JSON.stringify(want) || Date.now() > until) return expect(got).toEqual(want);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the accounts each node keeps', () => {
  it('see a device linked or unlinked on another node at the next read', async () => {
    const { a, b } = await twoNodes();
    await b.registerAccount('alice', 'key', device('alice-1'), 1);
    expect(await keysOf(a, 'alice')).toEqual(['alice-1']);
    await b.addDevice('alice', device('alice-2'), 2);
    await eventually(() => keysOf(a, 'alice'), ['alice-1', 'alice-2']);
    expect(await keysOf(b, 'alice')).toEqual(['alice-1', 'alice-2']);
    await a.removeDevice('alice', 'alice-1');
    expect(await keysOf(a, 'alice')).toEqual(['alice-2']);
    await eventually(() => keysOf(b, 'alice'), ['alice-2']);
    await b.resetAccount('alice');
    await eventually(() => a.account('alice'), undefined);
  });

  it('are read again after MAX_AGE_MS when a change was not announced', async () => {
    let clock = 1_000_000;
    const { a, direct } = await twoNodes(() => clock);
    await direct.registerAccount('bob', 'key', device('bob-1'), 1);
    expect(await keysOf(a, 'bob')).toEqual(['bob-1']);
    // Another program (an administrator's command) links a device without telling the nodes.
    await direct.addDevice('bob', device('bob-2'), 2);
    clock += MAX_AGE_MS - 1;
    expect(await keysOf(a, 'bob')).toEqual(['bob-1']);
    clock += 1;
    expect(await keysOf(a, 'bob')).toEqual(['bob-1', 'bob-2']);
  });

  it('do not keep a read that a change overtook', async () => {
    const { direct } = await twoNodes();
    await direct.registerAccount('carol', 'key', device('carol-1'), 1);
    // A node whose database answers this read only when the test says so.
    let answer = () => {};
    const held = new Promise<void>((resolve) => (answer = resolve));
    const slow: AccountStore = Object.assign(Object.create(direct) as AccountStore, {
      account: async (username: string) => {
        const found = await direct.account(username);
        await held;
        return found;
      },
    });
    const link = await testLink('node-c', `accounts-${randomBytes(6).toString('hex')}`);
    links.push(link);
    const c = new CachedAccountStore(slow, link.bus);
    caches.push(c);
    const reading = keysOf(c, 'carol');
    await c.addDevice('carol', device('carol-2'), 2);
    answer();
    // The read saw the account before the device was linked; it is not what the next read gives.
    expect(await reading).toEqual(['carol-1']);
    expect(await keysOf(c, 'carol')).toEqual(['carol-1', 'carol-2']);
  });
});
