// A relay database made by the last schema-2 release (tests/fixtures/schema-2/relay, see its README)
// opened by this relay: nothing lost, nothing rewritten. Tests work on copies; the committed files
// stay as they were made.
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { RelayConfig } from '../../server/config.js';
import { startRelay, type Relay } from '../../server/relay.js';
import { RELAY_DATABASE_FILE } from '../../server/storage/sqlite/database.js';
import { RELAY_MIGRATIONS } from '../../server/storage/sqlite/migrations/relay-migrations.js';
import { openSqliteRelayStores } from '../../server/storage/sqlite/relay-stores.js';
import { SENT_DATABASE_FILE } from '../../server/storage/sqlite/sent-ids.js';
import { RawSocket } from '../raw-socket.js';
import { copyRelayFixture, snapshot } from '../relay-fixture.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const rowsOf = <T>(rows: string[]): T[] => rows.map((r) => JSON.parse(r) as T);

async function relayOn(dir: string, nowMs: number): Promise<Relay> {
  const config = RelayConfig.parse({ port: 0, host: '127.0.0.1', data: dir, logLevel: 'silent' });
  return startRelay({ config, now: () => nowMs });
}

describe('a relay database made by schema 2', () => {
  it('is opened with every row kept: queues still pending, pushes still cached, the same signing key', async () => {
    const before = snapshot(copyRelayFixture());
    expect(before.version).toBe(2);
    type Envelope = { seq: number; device: string; kind: string; message_id: string };
    type Push = { id: string; time: number; json: string };
    const envelopes = rowsOf<Envelope>(before.rows.envelopes!);
    const pushes = rowsOf<Push>(before.rows.push_messages!).sort((a, b) => a.time - b.time);
    const [identity] = rowsOf<{ public_key: string }>(before.rows.relay_identity!);
    expect(envelopes).toHaveLength(3);
    expect(pushes).toHaveLength(3);
    expect(before.rows.one_time_prekeys).toHaveLength(298);

    // The relay's clock stands just after the fixture was made, when its pushes were still cached.
    const madeAt = Math.max(...pushes.map((p) => p.time));
    const dir = copyRelayFixture();
    const relay = await relayOn(dir, (madeAt + 60) * 1000);
    cleanups.push(() => relay.close());

    const socket = await RawSocket.open(relay.url);
    cleanups.push(() => socket.close());
    expect(socket.frames[0]).toMatchObject({ type: 'challenge', relayKey: identity!.public_key });

    const response = await fetch(`${relay.url.replace(/^ws:/, 'http:')}/ops/json?poll=1&since=all`);
    const polled = (await response.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { id: string; message: string });
    expect(polled.map((p) => p.id)).toEqual(pushes.map((p) => p.id));
    expect(polled.map((p) => p.message)).toEqual(['Backup done', 'Disk at 91 %', 'Deploy finished']);
    await relay.close();

    // The stores see each device's queue as the old relay left it.
    const stores = openSqliteRelayStores(dir);
    cleanups.push(() => stores.close());
    const devices = [...new Set(envelopes.map((e) => e.device))];
    expect(devices).toHaveLength(2);
    for (const device of devices) {
      const pending = await stores.queues.pending(device, 0, 100);
      const queued = envelopes.filter((e) => e.device === device).sort((a, b) => a.seq - b.seq);
      expect(pending.map((e) => [e.seq, e.messageId])).toEqual(queued.map((e) => [e.seq, e.message_id]));
    }
    await stores.close();

    // Every table and row it had, as it had them; the tables later steps add (blobs, …) empty, but
    // for the queues' totals, counted from the queues it had.
    const after = snapshot(dir);
    expect(after.version).toBe(RELAY_MIGRATIONS.length);
    expect(after.schema).toEqual(expect.arrayContaining(before.schema));
    const { queue_totals: totals, queue_journal: journal, sent, ...rest } = after.rows;
    for (const [table, rows] of Object.entries(rest)) expect(rows, table).toEqual(before.rows[table] ?? []);
    // The send ids moved to sent.sqlite, as they were; the queues' journal goes on from the last seq.
    expect(sent).toEqual([]);
    const moved = new Database(path.join(dir, SENT_DATABASE_FILE), { readonly: true });
    cleanups.push(() => moved.close());
    expect(moved.prepare('SELECT * FROM sent').all().map((r) => JSON.stringify(r)).sort()).toEqual(before.rows.sent);
    expect(rowsOf<{ last_seq: number }>(journal!)[0]!.last_seq).toBeGreaterThanOrEqual(Math.max(...envelopes.map((e) => e.seq)));
    const waiting = (device: string) => envelopes.filter((e) => e.kind === 'message' && e.device === device).length;
    const counted = rowsOf<{ device: string; messages: number }>(totals!).map(({ device, messages }) => ({ device, messages }));
    const expected = devices.filter((d) => waiting(d) > 0).map((device) => ({ device, messages: waiting(device) }));
    expect(counted).toEqual(expect.arrayContaining(expected));
    expect(counted).toHaveLength(expected.length);
  });

  it('is refused, untouched, when a newer relay has moved it on', async () => {
    const dir = copyRelayFixture();
    const newer = RELAY_MIGRATIONS.length + 1;
    const db = new Database(path.join(dir, RELAY_DATABASE_FILE));
    db.pragma(`user_version = ${newer}`);
    db.close();
    const before = snapshot(dir);

    const config = RelayConfig.parse({ port: 0, host: '127.0.0.1', data: dir, logLevel: 'silent' });
    await expect(startRelay({ config })).rejects.toThrow(
      expect.objectContaining({ message: `${path.join(dir, RELAY_DATABASE_FILE)} is schema ${newer}; this Warbler knows up to ${RELAY_MIGRATIONS.length}: update Warbler` }),
    );
    expect(snapshot(dir)).toEqual(before);
  });
});
