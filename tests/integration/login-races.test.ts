// A login waits (for the signature check on its worker thread, for the database) before the
// connection becomes the device's. A connection that closes in that time must not become it: its
// contacts would see the device online for good, with nothing left to say it went away.
import { describe, expect, it } from 'vitest';
import { authPayload, randomBytes, sign, toB64 } from '../../shared/crypto.js';
import { relayIn, tempDir, useCleanups } from '../helpers.js';
import { RawSocket } from '../raw-socket.js';

const cleanups = useCleanups();

const presenceOf = (watcher: RawSocket, username: string) =>
  watcher.frames.filter((f) => f.type === 'presence' && f.username === username).map((f) => f.state);

describe('a login whose connection closes before it is done', () => {
  it('leaves the device offline to its contacts, and a later login works', async () => {
    const relay = await relayIn(tempDir(), cleanups);
    const bob = await RawSocket.open(relay.url);
    const alice = await RawSocket.open(relay.url);
    cleanups.push(() => bob.close(), () => alice.close());
    const bobIdentity = await bob.register('bob');
    const aliceIdentity = await alice.register('alice');
    // A message makes them contacts: each may see the other's presence.
    const sent = await alice.request({
      type: 'send',
      id: 's1',
      messageId: toB64(randomBytes(16)),
      recipients: ['bob'],
      envelopes: [{ device: bobIdentity.publicKey, sealed: { kind: 'ratchet', body: 'QUJD' } }],
    });
    expect(sent).toMatchObject({ type: 'result' });
    alice.close();
    await bob.next((f) => f.type === 'presence' && f.username === 'alice' && f.state === 'offline');

    // Logs in and is gone at once: the relay reads the frame and the end of the connection together.
    const ghost = await RawSocket.open(relay.url);
    const signature = sign(authPayload(ghost.binding, aliceIdentity.publicKey), aliceIdentity.secretKey);
    await new Promise((resolve) => ghost.ws.send(JSON.stringify({ type: 'auth', id: 'auth', identityKey: aliceIdentity.publicKey, signature }), resolve));
    ghost.ws.terminate();
    // What the relay does with it is done well within this. On a busy machine the login may finish
    // before the end of the connection is read: then alice is seen online and offline again. A
    // ghost stays online.
    await new Promise((r) => setTimeout(r, 500));
    const afterGhost = presenceOf(bob, 'alice');
    expect(afterGhost.at(-1)).toBe('offline');
    expect([2, 4]).toContain(afterGhost.length);

    // A later real login is seen online, then offline when it closes: nothing stayed behind.
    const again = await RawSocket.open(relay.url);
    cleanups.push(() => again.close());
    expect(await again.login(aliceIdentity)).toMatchObject({ type: 'result' });
    await bob.next(() => presenceOf(bob, 'alice').length === afterGhost.length + 1);
    again.close();
    await bob.next(() => presenceOf(bob, 'alice').length === afterGhost.length + 2);
    expect(presenceOf(bob, 'alice').slice(afterGhost.length)).toEqual(['online', 'offline']);
  });
});
