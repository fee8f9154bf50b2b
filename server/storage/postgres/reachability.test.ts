// The health check's question to PostgreSQL: answered at once while the pool's connections are all
// busy and more work waits for them (a busy node is not a dead one), no while the server cannot be
// reached, and yes again when it can, on a connection made again by itself.
import net from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { freshPostgres } from '../../../tests/postgres-databases.js';
import { Reachability } from './reachability.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A loopback TCP proxy to the PostgreSQL server that can go away and come back on its port. */
async function outageProxy(target: URL): Promise<{ url: (of: string) => string; down: () => Promise<void>; up: () => Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const up = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const down = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  };
  await up();
  return {
    url: (of) => {
      const url = new URL(of);
      url.host = `127.0.0.1:${port}`;
      return url.toString();
    },
    down,
    up,
    close: down,
  };
}

/** A fresh database behind an outage proxy, a pool of one connection to it, and its reachability. */
async function behindProxy(recentMs: number) {
  const fresh = await freshPostgres();
  cleanups.push(() => fresh.drop());
  const proxy = await outageProxy(new URL(fresh.url));
  cleanups.push(() => proxy.close());
  const url = proxy.url(fresh.url);
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => undefined);
  cleanups.push(() => pool.end());
  const reachability = new Reachability(pool, url, recentMs);
  cleanups.push(() => reachability.close());
  return { proxy, pool, reachability };
}

describe('whether PostgreSQL is reachable', () => {
  it('is yes at once with every pooled connection busy, no while the server is gone, yes when it is back', async () => {
    // Asks the server each time: no answer of the pool counts as recent.
    const { proxy, pool, reachability } = await behindProxy(0);

    // The pool's one connection sleeps, and more work waits behind it.
    const busy = [pool.query('SELECT pg_sleep(2)'), ...Array.from({ length: 5 }, () => pool.query('SELECT 1'))].map((q) => q.catch(() => undefined));
    await new Promise((r) => setTimeout(r, 200));
    expect(await reachability.reachable()).toBe(true);
    await Promise.all(busy);

    await proxy.down();
    expect(await reachability.reachable()).toBe(false);
    await expect(pool.query('SELECT 1')).rejects.toThrow();

    await proxy.up();
    expect(await reachability.reachable()).toBe(true);
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('takes an answer the pool has just had for yes, without asking', async () => {
    const { proxy, pool, reachability } = await behindProxy(1500);
    await pool.query('SELECT 1');
    await proxy.down();
    // Within 1.5 s of the pool's answer: yes, without a question the outage would fail.
    expect(await reachability.reachable()).toBe(true);
    await new Promise((r) => setTimeout(r, 1600));
    expect(await reachability.reachable()).toBe(false);
  });
});
