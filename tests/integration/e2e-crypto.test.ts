// End-to-end encryption through a real relay: what the relay and the wire see, devices that come
// and go, sessions that break, and prekeys that run out.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import type { ChatMessage } from '../../shared/ipc.js';
import type { EnvelopeFrame } from '../../shared/protocol.js';
import { captureProxy, type Capture } from '../capture-proxy.js';
import { filesUnder, profileOf, relayIn, tempDir, useCleanups, waitFor, withHistoryFile } from '../helpers.js';
import { relayValue, relayStores } from '../relay-database.js';
import { sendForged } from '../hostile-client.js';
import { RawSocket, registerFrame } from '../raw-socket.js';
import { certifyDevice, generateIdentity, sealAccountKey } from '../../shared/crypto.js';

const cleanups = useCleanups();

async function via(capture: Capture, dir: string, username: string): Promise<WarblerClient> {
  const client = await WarblerClient.register(path.join(dir, username), capture.url, username);
  cleanups.push(() => client.close());
  client.start();
  await client.waitOnline(10_000);
  return client;
}

async function setup(usernames: string[]) {
  const dir = tempDir();
  const relay = await relayIn(dir, cleanups);
  const capture = await captureProxy(relay.port);
  cleanups.push(() => capture.close());
  const users: Record<string, WarblerClient> = {};
  for (const name of usernames) users[name] = await via(capture, dir, name);
  return { dir, relay, capture, users };
}

/** A second device for `phone`'s account, linked through the relay and approved by the phone. */
async function linkDevice(phone: WarblerClient, dir: string, capture: Capture, name: string): Promise<WarblerClient> {
  const linking = await WarblerClient.link(path.join(dir, name), capture.url);
  await phone.approveDevice(linking.code);
  const device = await linking.done;
  cleanups.push(() => device.close());
  const drained = device.waitDrained(10_000);
  device.start();
  await drained;
  return device;
}

const texts = (client: WarblerClient, conversationId: string) =>
  client.messages(conversationId, 500).filter((m) => m.kind === 'text').map((m) => m.text);

function relayFiles(dir: string): Buffer[] {
  return filesUnder(path.join(dir, 'relay'));
}

/** Every secret a client holds: its device and account keys and its prekeys' secret halves. */
async function secretsOf(client: WarblerClient): Promise<string[]> {
  const prekeys = await withHistoryFile(client.profileDir, (db) => db.prepare('SELECT secret_key FROM prekeys').pluck().all() as string[]);
  const profile = await profileOf(client);
  return [profile.identity.secretKey, profile.account.secretKey, ...prekeys];
}

/** The device loses its sessions (a restored backup, a bug), behind its running client's back. */
const loseSessions = (client: WarblerClient) => withHistoryFile(client.profileDir, (db) => db.exec('DELETE FROM sessions'));

describe('end-to-end encryption through a real relay', () => {
  it('neither the relay’s database nor a capture of every frame holds a message’s text or a private key', async () => {
    const { dir, capture, users } = await setup(['alice', 'bob', 'carol']);
    const { alice, bob, carol } = users as Record<'alice' | 'bob' | 'carol', WarblerClient>;
    const secrets = ['the eagle lands at midnight', '鹰在午夜降落', 'group: bring the maps'];
    await alice.send('bob', secrets[0]!);
    await waitFor(() => texts(bob, 'alice').length === 1, 5000, 'bob has it');
    await bob.send('alice', secrets[1]!);
    const group = await alice.createGroup('Expedition', ['bob', 'carol']);
    await waitFor(() => carol.conversation(group.id), 5000, 'carol in the group');
    await carol.send(group.id, secrets[2]!);
    await bob.setTyping('alice', true);
    await waitFor(() => texts(alice, group.id).includes(secrets[2]!) && texts(bob, group.id).includes(secrets[2]!), 5000, 'group message');
    await waitFor(() => texts(alice, 'bob').length === 2, 5000, 'alice has the reply');

    const frames = capture.frames();
    expect(frames.some((f) => f.includes('"type":"envelope"'))).toBe(true);
    const keys = (await Promise.all([alice, bob, carol].map(secretsOf))).flat();
    for (const needle of [...secrets, ...keys]) {
      expect(frames.some((f) => f.includes(needle)), `the wire shows ${needle.slice(0, 12)}…`).toBe(false);
      for (const bytes of relayFiles(dir)) expect(bytes.includes(Buffer.from(needle))).toBe(false);
    }
  });

  it('a device linked later cannot read what was sent before it existed, not even by asking for it again', async () => {
    const { dir, capture, users } = await setup(['alice', 'bob']);
    const { alice, bob } = users as Record<'alice' | 'bob', WarblerClient>;
    for (const text of ['before the laptop 1', 'before the laptop 2']) await alice.send('bob', text);
    await waitFor(() => texts(bob, 'alice').length === 2, 5000, 'the phone has them');
    // Before the laptop exists, every message from alice the relay sends is sealed for the phone.
    const early = capture
      .frames()
      .map((f) => JSON.parse(f) as EnvelopeFrame | { type: string })
      .filter((f): f is EnvelopeFrame => f.type === 'envelope' && 'kind' in f && f.kind === 'message' && f.from.username === 'alice');

    const laptop = await linkDevice(bob, dir, capture, 'bob-laptop');
    await alice.send('bob', 'after the laptop');
    await waitFor(() => texts(laptop, 'alice').length === 1, 5000, 'the laptop has the new one');
    expect(texts(laptop, 'alice')).toEqual(['after the laptop']);

    // A hostile relay hands the laptop an envelope sealed for the phone: it does not decrypt, and
    // alice's device refuses to send it again to a device it was never sealed for.
    const placeholders: ChatMessage[] = [];
    laptop.on('message', (m) => m.kind === 'undecryptable' && placeholders.push(m));
    const stolen = early.find((f) => f.kind === 'message')!;
    capture.toDevice(laptop.deviceKey, { ...stolen, seq: 1_000_000 });
    await waitFor(() => placeholders.length === 1, 5000, 'a placeholder');
    await waitFor(() => laptop.outboxEmpty() && alice.outboxEmpty(), 5000, 'the resend round trip');
    await new Promise((r) => setTimeout(r, 300));
    expect(texts(laptop, 'alice')).toEqual(['after the laptop']);
    expect(laptop.messages('alice', 10).some((m) => m.text.startsWith('before'))).toBe(false);
  });

  it('a removed device receives nothing new and cannot log in again', async () => {
    const { dir, capture, users } = await setup(['alice', 'bob']);
    const { alice, bob } = users as Record<'alice' | 'bob', WarblerClient>;
    const laptop = await linkDevice(alice, dir, capture, 'alice-laptop');
    await bob.send('alice', 'to both devices');
    await waitFor(() => texts(laptop, 'bob').length === 1, 5000, 'the laptop has it');

    const fatal: string[] = [];
    laptop.on('fatal', (err) => fatal.push(err.code));
    await alice.removeDevice(laptop.deviceKey);
    await waitFor(() => fatal.includes('device_removed'), 5000, 'the laptop is told');
    expect((await alice.devices()).map((d) => d.deviceKey)).toEqual([alice.deviceKey]);

    const sendsBefore = capture.frames().length;
    await bob.send('alice', 'after the removal');
    await waitFor(() => texts(alice, 'bob').includes('after the removal'), 5000, 'the phone has it');
    const sends = capture
      .frames()
      .slice(sendsBefore)
      .map((f) => JSON.parse(f) as { type: string; envelopes?: { device: string }[] })
      .filter((f) => f.type === 'send');
    expect(sends.at(-1)?.envelopes?.map((e) => e.device)).toEqual([alice.deviceKey]);

    laptop.start();
    await waitFor(() => fatal.includes('unknown_device'), 5000, 'refused at login');
    expect(texts(laptop, 'bob')).toEqual(['to both devices']);
    const left = await Promise.all(
      ['devices WHERE identity_key', 'envelopes WHERE device', 'one_time_prekeys WHERE device', 'signed_prekeys WHERE device'].map((where) =>
        relayValue(path.join(dir, 'relay'), `SELECT count(*) FROM ${where} = ?`, [laptop.deviceKey]),
      ),
    );
    expect(left).toEqual([0, 0, 0, 0]);
  });

  it('a message that cannot be decrypted shows a placeholder until its sender sends it again over a fresh session', async () => {
    const { users } = await setup(['alice', 'bob']);
    const { alice, bob } = users as Record<'alice' | 'bob', WarblerClient>;
    await alice.send('bob', 'hello');
    await waitFor(() => texts(bob, 'alice').includes('hello'), 5000, 'first');
    await bob.send('alice', 'hi');
    // Alice's side of the conversation holds her own 'hello' too: wait for the reply itself.
    await waitFor(() => texts(alice, 'bob').includes('hi'), 5000, 'reply');

    // Bob's device loses its sessions: alice's next message cannot be read.
    await loseSessions(bob);
    const seen: ChatMessage[] = [];
    bob.on('message', (m) => seen.push(m));
    const lost = await alice.send('bob', 'after the loss');
    await waitFor(() => texts(bob, 'alice').includes('after the loss'), 5000, 'sent again');
    expect(seen.find((m) => m.id === lost.id && m.kind === 'undecryptable')).toBeDefined();
    const conversation = bob.messages('alice', 50);
    expect(conversation.filter((m) => m.id === lost.id).map((m) => m.kind)).toEqual(['text']);
    expect(conversation.some((m) => m.kind === 'undecryptable')).toBe(false);

    // The fresh session carries on both ways.
    await bob.send('alice', 'got it now');
    await alice.send('bob', 'good');
    await waitFor(() => texts(alice, 'bob').includes('got it now') && texts(bob, 'alice').includes('good'), 5000, 'both ways');
  });

  it('hands out each one-time prekey once, and the device tops them up when fewer than 20 are left', async () => {
    const { dir, relay, users } = await setup(['bob']);
    const bob = users.bob!;
    // Five accounts take seventeen each: one account alone may take only twenty of bob's.
    const ids: number[] = [];
    for (let e = 0; e < 5; e++) {
      const eve = await RawSocket.open(relay.url);
      cleanups.push(() => eve.close());
      await eve.register(`eve${e}`);
      for (let i = 0; i < 17; i++) {
        const reply = await eve.request({ type: 'bundles', id: `b${i}`, username: 'bob', devices: [bob.deviceKey] });
        const bundle = (reply.data as { bundles: { oneTimePreKey: { id: number } | null }[] }).bundles[0]!;
        if (bundle.oneTimePreKey) ids.push(bundle.oneTimePreKey.id);
      }
    }
    expect(ids).toHaveLength(85);
    expect(new Set(ids).size).toBe(85);
    const count = async () => (await relayValue(path.join(dir, 'relay'), 'SELECT count(*) FROM one_time_prekeys WHERE device = ?', [bob.deviceKey])) as number;
    await waitFor(async () => (await count()) >= 90, 5000, 'topped up');
  });

  it('lets one account take at most twenty of another account\'s prekey bundles a window; others still get theirs', async () => {
    const { relay, users } = await setup(['bob']);
    const bob = users.bob!;
    const eve = await RawSocket.open(relay.url);
    cleanups.push(() => eve.close());
    await eve.register('eve');
    const ask = (raw: RawSocket, id: string) => raw.request({ type: 'bundles', id, username: 'bob', devices: [bob.deviceKey] });
    for (let i = 0; i < 20; i++) expect(await ask(eve, `b${i}`)).toMatchObject({ type: 'result' });
    expect(await ask(eve, 'over')).toMatchObject({ type: 'error', code: 'rate_limited' });
    const carol = await RawSocket.open(relay.url);
    cleanups.push(() => carol.close());
    await carol.register('carol');
    const reply = await ask(carol, 'c');
    expect((reply.data as { bundles: { oneTimePreKey: { id: number } | null }[] }).bundles[0]!.oneTimePreKey).not.toBeNull();
  });

  it('both people see the same safety number; verifying needs the number that was compared', async () => {
    const { users } = await setup(['alice', 'bob']);
    const { alice, bob } = users as Record<'alice' | 'bob', WarblerClient>;
    const a = await alice.safety('bob');
    const b = await bob.safety('alice');
    expect(a.safetyNumber).toMatch(/^\d{60}$/);
    expect(b.safetyNumber).toBe(a.safetyNumber);
    await expect(alice.setVerified('bob', true, '1'.repeat(60))).rejects.toThrow(/changed/);
    expect((await alice.setVerified('bob', true, a.safetyNumber)).verified).toBe(true);
    expect((await alice.safety('bob')).verified).toBe(true);
  });
});

describe('what a hostile contact or relay cannot do', () => {
  it('a malformed envelope does not stop the ones behind it from being stored', async () => {
    const { relay, users } = await setup(['alice', 'bob']);
    const { alice, bob } = users as Record<'alice' | 'bob', WarblerClient>;
    const mallory = await RawSocket.open(relay.url);
    cleanups.push(() => mallory.close());
    await mallory.register('mallory');
    for (const [i, body] of ['A', 'AAAA', '_-_-'].entries()) {
      const sealed = i === 2 ? { kind: 'ratchet', body, preKey: { ephemeralKey: 'x'.repeat(43), signedPreKeyId: 1, oneTimePreKeyId: null } } : { kind: 'ratchet', body };
      const reply = await mallory.request({ type: 'send', id: `m${i}`, messageId: `poison-${i}`.padEnd(22, 'x'), recipients: ['bob'], envelopes: [{ device: bob.deviceKey, sealed }] });
      expect(reply.type).toBe('result');
    }
    await alice.send('bob', 'still arrives');
    await waitFor(() => texts(bob, 'alice').includes('still arrives'), 5000, 'the message behind the poison');
    expect(bob.messages('mallory', 10).map((m) => m.kind)).toEqual(['undecryptable', 'undecryptable', 'undecryptable']);
  });

  it('only the device that was asked can answer a resend, and at the relay’s time of the original', async () => {
    const { dir, capture, users } = await setup(['bob', 'carol', 'mallory']);
    const { bob, carol, mallory } = users as Record<'bob' | 'carol' | 'mallory', WarblerClient>;
    await carol.send('bob', 'hello bob');
    await waitFor(() => texts(bob, 'carol').length === 1, 5000, 'first');
    // Bob loses his sessions; carol's next message arrives while she is offline to answer.
    await loseSessions(bob);
    const lost = await carol.send('bob', 'the real words');
    await carol.close();
    await waitFor(() => bob.message(lost.id)?.kind === 'undecryptable', 5000, 'a placeholder');

    // Mallory, who learned the id, answers in carol's place.
    const forged = JSON.stringify({ v: 1, messageId: lost.id, from: 'mallory', sentAt: 1, kind: 'text', chat: { type: 'direct', peer: 'bob' }, text: 'forged words' });
    await sendForged(mallory, ['bob'], { kind: 'resent', original: { messageId: lost.id, payload: forged } });
    await waitFor(() => mallory.outboxEmpty(), 5000, 'mallory sent it');
    await new Promise((r) => setTimeout(r, 300));
    expect(bob.message(lost.id)?.kind).toBe('undecryptable');

    const carolAgain = await WarblerClient.open(path.join(dir, 'carol'), { serverUrl: capture.url });
    cleanups.push(() => carolAgain.close());
    carolAgain.start();
    await waitFor(() => bob.message(lost.id)?.kind === 'text', 10_000, 'carol answered');
    expect(bob.message(lost.id)).toMatchObject({ text: 'the real words', conversationId: 'carol', serverTime: lost.serverTime });
  });

  it('a verified contact whose key changes gets nothing until this person compares the new number', async () => {
    const { dir, capture, users } = await setup(['alice', 'bob']);
    const { alice, bob } = users as Record<'alice' | 'bob', WarblerClient>;
    await alice.send('bob', 'hi');
    const before = await alice.safety('bob');
    await alice.setVerified('bob', true, before.safetyNumber);
    await bob.close();
    const stores = await relayStores(path.join(dir, 'relay'));
    expect(await stores.accounts.resetAccount('bob')).toBe(true);
    await stores.close();
    const newBob = await WarblerClient.register(path.join(dir, 'bob-new'), capture.url, 'bob');
    cleanups.push(() => newBob.close());
    newBob.start();
    await newBob.waitOnline(5000);

    await expect(alice.send('bob', 'are you still you?')).rejects.toThrow(/safety number changed after you verified it/);
    expect(texts(alice, 'bob').at(-1)).toBe('are you still you?');
    expect(alice.messages('bob', 10).some((m) => m.kind === 'identity-changed')).toBe(true);
    const after = await alice.safety('bob');
    expect(after).toMatchObject({ verified: false });
    expect(after.safetyNumber).not.toBe(before.safetyNumber);

    await alice.setVerified('bob', true, after.safetyNumber);
    await alice.send('bob', 'compared, hello again');
    await waitFor(() => texts(newBob, 'alice').includes('compared, hello again'), 5000, 'delivered to the new bob');
  });
});

describe('linking a device through a relay that cannot be trusted', () => {
  it('a new device refuses an account key from anyone who knows only the relay’s part of the code', async () => {
    const { dir, relay, capture } = await setup([]);
    const linking = await WarblerClient.link(path.join(dir, 'new-laptop'), capture.url);
    const refused = linking.done.then(
      () => 'linked',
      (err: Error) => err.message,
    );
    // Mallory (or the relay itself) sees the first 8 digits, and approves the device into her own account.
    const mallory = await RawSocket.open(relay.url);
    cleanups.push(() => mallory.close());
    const malloryAccount = generateIdentity();
    const reply = await mallory.request(registerFrame(mallory.binding, 'mallory', generateIdentity(), malloryAccount));
    expect(reply.type).toBe('result');
    const lookup = await mallory.request({ type: 'link-lookup', id: 'l', linkId: linking.code.slice(0, 8) });
    const deviceKey = (lookup.data as { identityKey: string }).identityKey;
    await mallory.request({
      type: 'link-approve',
      id: 'a',
      linkId: linking.code.slice(0, 8),
      certificate: certifyDevice(deviceKey, malloryAccount.secretKey),
      sealedAccount: sealAccountKey(malloryAccount.secretKey, deviceKey),
      confirmation: 'A'.repeat(43),
    });
    expect(await refused).toMatch(/did not come from a device that was given this code/);
    expect(fs.existsSync(path.join(dir, 'new-laptop', 'profile.json'))).toBe(false);
  });
});
