// A relay that presents another key than the one this device first met (restored from an old
// backup, or another relay at the same address) is not logged in to: the device does not sign a
// login naming that key, stops with the new key's fingerprint, and connects once the person trusts it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import type { RelayError } from '../../core/relay/error.js';
import { generateIdentity } from '../../shared/crypto.js';
import { relayKeyFingerprint } from '../../shared/relay-key.js';
import { captureProxy } from '../capture-proxy.js';
import { tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';
import { relayRun, copyRelay } from '../relay-database.js';

const cleanups = useCleanups();

const authFrames = (frames: string[]) => frames.filter((text) => (JSON.parse(text) as { type?: unknown }).type === 'auth').length;

describe('a relay whose key changed', () => {
  it('is not signed for until the person trusts the new key, then the device logs in', async () => {
    const dir = tempDir();
    const dataA = path.join(dir, 'relay-a');
    const a = await testRelay(dataA);
    const port = Number(new URL(a.url).port);
    const proxy = await captureProxy(port);
    cleanups.push(() => proxy.close());

    const client = await WarblerClient.register(path.join(dir, 'alice'), proxy.url, 'alice');
    cleanups.push(() => client.close());
    client.start();
    await client.waitOnline(10_000);
    const firstKey = client.relayKey.key;
    expect(firstKey).toBeDefined();
    expect(client.relayKey.fingerprint).toBe(relayKeyFingerprint(firstKey!));

    // The same accounts (a backup), another key: the relay restored with a new identity at the same port.
    await a.close();
    const dataB = path.join(dir, 'relay-b');
    await copyRelay(dataA, dataB);
    const newKey = generateIdentity();
    await relayRun(dataB, 'UPDATE relay_identity SET public_key = ?, secret_key = ? WHERE id = 1', [newKey.publicKey, newKey.secretKey]);
    const signedBefore = authFrames(proxy.frames());
    const fatal = new Promise<RelayError>((resolve) => client.once('fatal', resolve));
    const b = await testRelay(dataB, port);
    cleanups.push(() => b.close());
    client.reconnectNow();

    const error = await fatal;
    const fingerprint = relayKeyFingerprint(newKey.publicKey);
    expect(error.code).toBe('relay_key_changed');
    expect(error.params).toEqual({ fingerprint });
    expect(client.connectionState).toBe('offline');
    expect(client.lastConnectionError?.code).toBe('relay_key_changed');
    // Stopped for good: no retry signs for the new key behind the person's back.
    await new Promise((r) => setTimeout(r, 1500));
    expect(client.connectionState).toBe('offline');
    expect(authFrames(proxy.frames())).toBe(signedBefore);
    expect(client.relayKey.key).toBe(firstKey);

    // A fingerprint other than the one shown pins nothing.
    expect(() => client.trustRelayKey(relayKeyFingerprint(generateIdentity().publicKey))).toThrow(
      expect.objectContaining({ code: 'bad_request' }),
    );
    expect(client.relayKey.key).toBe(firstKey);

    client.trustRelayKey(fingerprint);
    await client.waitOnline(10_000);
    expect(client.relayKey.key).toBe(newKey.publicKey);
    expect(client.relayKey.fingerprint).toBe(fingerprint);
    expect(authFrames(proxy.frames())).toBeGreaterThan(signedBefore);
    await waitFor(() => client.connectionState === 'online', 2000, 'still online');
  });

  it('pins the key of the first relay met without asking', async () => {
    const dir = tempDir();
    const relay = await testRelay(path.join(dir, 'relay'));
    cleanups.push(() => relay.close());
    const client = await WarblerClient.register(path.join(dir, 'bob'), relay.url.replace(/^ws:/, 'http:'), 'bob');
    cleanups.push(() => client.close());
    expect(client.relayKey.key).toBeUndefined();
    client.start();
    await client.waitOnline(10_000);
    expect(client.relayKey.fingerprint).toMatch(/^[0-9a-f]{8}( [0-9a-f]{8}){4}$/);
  });
});
