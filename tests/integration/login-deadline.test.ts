// A connection has ten seconds to log in. One that does not is closed; one that does keeps nothing
// of that deadline: tens of thousands of idle devices each holding a timer add up.
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol.js';
import { relayIn, tempDir, useCleanups, waitFor } from '../helpers.js';
import { RawSocket } from '../raw-socket.js';

const cleanups = useCleanups();

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('the login deadline', () => {
  it('closes a connection that has not logged in after ten seconds, and only that one', { timeout: 20_000 }, async () => {
    const relay = await relayIn(tempDir(), cleanups);
    const silent = await RawSocket.open(relay.url);
    const device = await RawSocket.open(relay.url);
    cleanups.push(() => silent.close(), () => device.close());
    await device.register('alice');
    await waitFor(() => silent.closed !== undefined, 12_000);
    expect(silent.closed).toEqual({ code: CloseCode.timedOut, reason: 'log in within 10 seconds' });
    expect(device.closed).toBeUndefined();
    expect(await device.request({ type: 'blob-token', id: 'still-here' })).toMatchObject({ type: 'result' });
  });

  it('is let go at login: logged-in connections hold no timer of it', async () => {
    const relay = await relayIn(tempDir(), cleanups);
    // The same logins once before: a PostgreSQL relay's pool grows to them, and its idle
    // connections' timers are there at both counts below, not at the second alone.
    const earlier = await Promise.all(Array.from({ length: 20 }, () => RawSocket.open(relay.url)));
    cleanups.push(() => earlier.forEach((d) => d.close()));
    await Promise.all(earlier.map((d, i) => d.register(`earlier${i}`)));
    const devices = await Promise.all(Array.from({ length: 20 }, () => RawSocket.open(relay.url)));
    cleanups.push(() => devices.forEach((d) => d.close()));
    // Each connection waits for its login with a timer of its own (other timers come and go).
    const waitingForLogin = timers();
    await Promise.all(devices.map((d, i) => d.register(`user${i}`)));
    expect(waitingForLogin - timers()).toBeGreaterThanOrEqual(15);
  });
});
