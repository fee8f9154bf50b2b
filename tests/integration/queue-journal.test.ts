// The queues' journal (--queue-journal) through kill -9 of a real relay process: what it had acknowledged comes back
// once, what was acked stays gone, receipts and send ids survive, and no seq is handed out twice;
// and one data folder takes one relay at a time.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { startRelayProcess, type RelayProcess } from '../../bench/process.js';
import { testBackendFor } from '../../bench/postgres.js';
import type { IdentityKeyPair } from '../../shared/crypto.js';
import { RELAY_DATABASE_FILE } from '../../server/storage/sqlite/database.js';
import { tempDir, useCleanups, waitFor } from '../helpers.js';
import { RawSocket } from '../raw-socket.js';

const cleanups = useCleanups();

/** With the journal on SQLite; on PostgreSQL (WARBLER_TEST_BACKEND), whose queues have none, the same guarantees. */
async function relayProcess(dir: string, port?: number): Promise<RelayProcess> {
  const relay = await startRelayProcess(dir, port, (await testBackendFor(dir)) ? [] : ['--queue-journal']);
  cleanups.push(() => relay.stop());
  return relay;
}

async function crash(relay: RelayProcess): Promise<void> {
  const exited = new Promise((resolve) => relay.child.once('exit', resolve));
  relay.child.kill('SIGKILL');
  await exited;
}

async function loggedIn(url: string, identity: IdentityKeyPair): Promise<RawSocket> {
  const socket = await RawSocket.open(url);
  cleanups.push(() => socket.close());
  const reply = await socket.login(identity);
  if (reply.type !== 'result') throw new Error(`login failed: ${JSON.stringify(reply)}`);
  return socket;
}

/** Message ids as the wire wants them (16 to 64 base64url characters). */
const id = (n: number) => `journal-test-message-${n}`;

function send(socket: RawSocket, to: IdentityKeyPair, messageId: string): Promise<Record<string, unknown>> {
  return socket.request({
    type: 'send',
    id: `send-${messageId}`,
    messageId,
    recipients: ['bob'],
    envelopes: [{ device: to.publicKey, sealed: { kind: 'ratchet', body: 'QUJD' } }],
  });
}

type Envelope = { kind: string; seq: number; messageId: string };
const envelopes = (socket: RawSocket, kind: string): Envelope[] =>
  socket.frames.filter((f) => f.type === 'envelope' && f.kind === kind) as unknown as Envelope[];

/** Alice and bob registered, bob offline, alice's first messages to him stored. */
async function setUp(dir: string, messages: number) {
  let relay = await relayProcess(dir);
  const first = await RawSocket.open(relay.url);
  const alice = await first.register('alice');
  first.close();
  const second = await RawSocket.open(relay.url);
  const bob = await second.register('bob');
  second.close();
  const aliceSocket = await loggedIn(relay.url, alice);
  for (let i = 0; i < messages; i++) expect((await send(aliceSocket, bob, id(i))).type).toBe('result');
  return { relay, alice, bob, aliceSocket, restart: async () => (relay = await relayProcess(dir, relay.port)) };
}

describe('the queues’ journal', () => {
  it('kill -9 right after sends and acks: the unacked come back once, the receipts and send ids survive, seqs go on', async () => {
    const dir = tempDir();
    const { relay, alice, bob, restart } = await setUp(dir, 5);
    const bobSocket = await loggedIn(relay.url, bob);
    await waitFor(() => envelopes(bobSocket, 'message').length === 5, 5000, 'five envelopes');
    const before = envelopes(bobSocket, 'message');
    expect(before.map((e) => e.messageId)).toEqual([0, 1, 2, 3, 4].map(id));
    expect((await bobSocket.request({ type: 'ack', id: 'ack', seqs: before.slice(0, 2).map((e) => e.seq) })).type).toBe('result');
    // Well within the second after which waiting envelopes move to SQLite: all of it is in the journal.
    await crash(relay);

    const again = await restart();
    const bobAgain = await loggedIn(again.url, bob);
    await bobAgain.next((f) => f.type === 'drained');
    expect(envelopes(bobAgain, 'message')).toEqual(before.slice(2));
    const aliceAgain = await loggedIn(again.url, alice);
    await aliceAgain.next((f) => f.type === 'drained');
    expect(envelopes(aliceAgain, 'delivered').map((e) => e.messageId)).toEqual([id(0), id(1)]);
    // A retry of a stored send is still known; a new one gets a seq after every earlier one.
    expect((await send(aliceAgain, bob, id(1))).data).toMatchObject({ duplicate: true });
    expect((await send(aliceAgain, bob, id(5))).data).toMatchObject({ duplicate: false });
    const newest = await bobAgain.next((f) => f.type === 'envelope' && f.messageId === id(5));
    const seqs = [...before, ...envelopes(aliceAgain, 'delivered')].map((e) => e.seq);
    expect(newest.seq as number).toBeGreaterThan(Math.max(...seqs));
  });

  it('kill -9 after waiting envelopes moved to SQLite: each comes back once', async () => {
    const dir = tempDir();
    const { relay, bob, restart } = await setUp(dir, 3);
    if (!(await testBackendFor(dir))) {
      const stored = () => {
        const db = new Database(path.join(dir, RELAY_DATABASE_FILE), { readonly: true });
        try {
          return db.prepare('SELECT count(*) FROM envelopes').pluck().get() as number;
        } finally {
          db.close();
        }
      };
      await waitFor(() => stored() === 3, 10_000, 'the envelopes in relay.sqlite');
    }
    await crash(relay);

    const again = await restart();
    const bobSocket = await loggedIn(again.url, bob);
    await bobSocket.next((f) => f.type === 'drained');
    expect(envelopes(bobSocket, 'message').map((e) => e.messageId)).toEqual([0, 1, 2].map(id));
  });

  it('refuses a second relay on the same data folder, and lets a command run beside the first', async () => {
    const dir = tempDir();
    if (await testBackendFor(dir)) return;
    const relay = await relayProcess(dir);
    const socket = await RawSocket.open(relay.url);
    await socket.register('carol');
    socket.close();
    const main = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [main, ...args, '--data', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        let stdout = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.once('exit', (code) => resolve({ code, stderr, stdout }));
      });
    const second = await run(['--port', '0', '--queue-journal']);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain('another relay is running on');
    const command = await run(['reset-account', 'carol']);
    expect(command).toMatchObject({ code: 0 });
    expect(command.stdout).toContain('carol');
    // The first relay went on.
    expect((await fetch(`${relay.url}/v1/health`)).status).toBe(200);
  });
});
