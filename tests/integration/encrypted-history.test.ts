// Encryption at rest, end to end: real messages through a real relay into real profile folders,
// then the files themselves are read as an attacker with the disk would read them.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import { ENVELOPE_FILE, readEnvelope } from '../../core/vault/envelope.js';
import { KEY_FILE } from '../../core/vault/key-file.js';
import { historyKey } from '../../core/vault/vault.js';
import { isPlaintextDatabase } from '../../core/vault/cipher.js';
import type { HistoryKey } from '../../core/vault/history-key.js';
import type { Relay } from '../../server/relay.js';
import { httpUrl, profileOf, relayIn, tempDir, useCleanups, waitFor } from '../helpers.js';
import type { ChatMessage } from '../../shared/ipc.js';

const cleanups = useCleanups();
const PASSPHRASE = 'a long passphrase for bob';

async function online(dir: string, relay: Relay, name: string, options: Parameters<typeof WarblerClient.open>[1] = {}) {
  const client = fs.existsSync(path.join(dir, 'profile.json'))
    ? await WarblerClient.open(dir, { ...options, serverUrl: httpUrl(relay) })
    : await WarblerClient.register(dir, httpUrl(relay), name, options);
  const received: ChatMessage[] = [];
  client.on('received', (m) => received.push(m));
  client.start();
  await client.waitOnline(10_000);
  cleanups.push(() => client.close());
  return { client, received };
}

/** Every file of the profile's history (database, WAL, shared memory, journals) that exists now. */
function historyFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.startsWith('history.sqlite')).map((name) => path.join(dir, name));
}

function leaks(files: string[], texts: string[]): string[] {
  return files.flatMap((file) => {
    const bytes = fs.readFileSync(file);
    return texts.filter((text) => bytes.includes(Buffer.from(text, 'utf8'))).map((text) => `${path.basename(file)}: ${text}`);
  });
}

/** The texts stored in a history, read with its key as `sqlcipher` would. */
function storedTexts(dir: string, key: HistoryKey): string[] {
  const db = new Database(path.join(dir, 'history.sqlite'), { readonly: true });
  try {
    db.pragma("cipher = 'sqlcipher'");
    db.pragma('legacy = 4');
    db.pragma(`key = "${key.sqlLiteral}"`);
    return db.prepare("SELECT text FROM messages WHERE kind = 'text'").pluck().all() as string[];
  } finally {
    db.close();
  }
}

describe('the history at rest', () => {
  it('holds none of the text of real messages, in the database or its WAL, and profile.json no secret key', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const aliceDir = path.join(dir, 'alice');
    const bobDir = path.join(dir, 'bob');
    const alice = await online(aliceDir, relay, 'alice');
    const bob = await online(bobDir, relay, 'bob', { keys: { kind: 'passphrase', passphrase: PASSPHRASE } });

    const texts: string[] = [];
    for (let i = 0; i < 20; i++) {
      const there = `meet me at the old mill, gate ${i}`;
      const back = `bring the second key, number ${i}`;
      texts.push(there, back);
      await alice.client.send('bob', there);
      await bob.client.send('alice', back);
    }
    await waitFor(() => bob.received.length === 20 && alice.received.length === 20, 10_000, 'both sides receive');
    await bob.client.markRead('alice');

    // While both run, the newest pages are in the WAL.
    const open = [...historyFiles(aliceDir), ...historyFiles(bobDir)];
    expect(open.some((f) => f.endsWith('-wal') && fs.statSync(f).size > 0)).toBe(true);
    expect(leaks(open, texts)).toEqual([]);

    const profiles = [await profileOf(alice.client), await profileOf(bob.client, { kind: 'passphrase', passphrase: PASSPHRASE })];
    const secrets = profiles.flatMap((p) => [p.identity.secretKey, p.account.secretKey]);
    await alice.client.close();
    await bob.client.close();
    const closed = [...historyFiles(aliceDir), ...historyFiles(bobDir)];
    expect(leaks(closed, texts)).toEqual([]);
    for (const profileDir of [aliceDir, bobDir]) {
      const profile = fs.readFileSync(path.join(profileDir, 'profile.json'), 'utf8');
      for (const secret of secrets) expect(profile).not.toContain(secret);
      expect(profile).not.toContain('"secretKey"');
      expect(fs.statSync(path.join(profileDir, 'profile.json')).mode & 0o777).toBe(0o600);
    }
    expect(fs.existsSync(path.join(aliceDir, KEY_FILE))).toBe(true);
    expect(fs.existsSync(path.join(bobDir, KEY_FILE))).toBe(false);

    // The text is there, for whoever has the key: alice's key file, bob's passphrase.
    expect(storedTexts(aliceDir, await historyKey(aliceDir, { kind: 'key-file' })).sort()).toEqual([...texts].sort());
    expect(storedTexts(bobDir, await historyKey(bobDir, { kind: 'passphrase', passphrase: PASSPHRASE })).sort()).toEqual([...texts].sort());
  });

  it('encrypts a profile from an earlier Warbler (plaintext history, secrets in profile.json) on first open, losing nothing', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const aliceDir = path.join(dir, 'alice');
    const alice = await online(aliceDir, relay, 'alice');
    const bob = await online(path.join(dir, 'bob'), relay, 'bob');
    await alice.client.send('bob', 'written before the upgrade');
    await bob.client.send('alice', 'answered before the upgrade');
    await waitFor(() => alice.received.length === 1, 10_000, 'alice receives');
    const profile = await profileOf(alice.client);
    await alice.client.close();

    // What an earlier Warbler left: the same history in plaintext (in WAL mode), profile version 2, no key.
    const db = new Database(path.join(aliceDir, 'history.sqlite'));
    db.pragma("cipher = 'sqlcipher'");
    db.pragma('legacy = 4');
    db.pragma(`key = "${(await historyKey(aliceDir, { kind: 'key-file' })).sqlLiteral}"`);
    db.pragma('journal_mode = DELETE');
    db.pragma("rekey = ''");
    db.close();
    const plain = new Database(path.join(aliceDir, 'history.sqlite'));
    plain.pragma('journal_mode = WAL');
    plain.close();
    fs.writeFileSync(
      path.join(aliceDir, 'profile.json'),
      JSON.stringify({ version: 2, serverUrl: profile.serverUrl, username: 'alice', identity: profile.identity, account: profile.account }),
      { mode: 0o600 },
    );
    fs.rmSync(path.join(aliceDir, ENVELOPE_FILE));
    fs.rmSync(path.join(aliceDir, KEY_FILE));
    expect(isPlaintextDatabase(path.join(aliceDir, 'history.sqlite'))).toBe(true);
    expect(leaks(historyFiles(aliceDir), ['answered before the upgrade'])).toHaveLength(1);

    await bob.client.send('alice', 'sent while alice upgraded');
    const upgradeKeys = { kind: 'passphrase', passphrase: 'chosen at the upgrade' } as const;
    const upgraded = await online(aliceDir, relay, 'alice', { keys: upgradeKeys });
    expect(await profileOf(upgraded.client, upgradeKeys)).toEqual(profile);
    await waitFor(() => upgraded.received.length === 1, 10_000, 'the device still receives as itself');
    expect(upgraded.client.messages('bob', 10).map((m) => m.text)).toEqual([
      'written before the upgrade',
      'answered before the upgrade',
      'sent while alice upgraded',
    ]);
    await upgraded.client.close();

    expect(isPlaintextDatabase(path.join(aliceDir, 'history.sqlite'))).toBe(false);
    expect(leaks(historyFiles(aliceDir), ['written before the upgrade', 'answered before the upgrade', 'sent while alice upgraded'])).toEqual([]);
    const file = JSON.parse(fs.readFileSync(path.join(aliceDir, 'profile.json'), 'utf8')) as Record<string, unknown>;
    expect(file.version).toBe(3);
    expect(JSON.stringify(file)).not.toContain(profile.identity.secretKey);
    expect(readEnvelope(aliceDir)?.wraps.map((w) => w.kind)).toEqual(['passphrase']);
  });
});
