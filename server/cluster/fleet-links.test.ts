// Link codes kept in the Redis a relay's nodes share: the per-address limit holds when several
// nodes hand out codes to one address at the same moment.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { testLink } from '../../tests/redis.js';
import { PENDING_PER_ADDRESS, type PendingLink } from '../links.js';
import { FleetLinks } from './fleet-links.js';
import type { RedisLink } from './redis.js';

const links: RedisLink[] = [];
afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.close()));
});

/** A waiting device's request; what the code holds is not what this test is about. */
const waitingDevice = (address: string): Omit<PendingLink, 'expiresAt'> => ({
  identityKey: randomBytes(32).toString('base64url'),
  address,
  proof: randomBytes(32).toString('base64url'),
  preKeys: { signedPreKey: { id: 1, publicKey: '', signature: '' }, oneTimePreKeys: [] } as unknown as PendingLink['preKeys'],
  notify: () => undefined,
});

describe('link codes across nodes', () => {
  it('gives one address at most its waiting places, however many nodes ask at once', async () => {
    const database = `links-${randomBytes(6).toString('hex')}`;
    const nodes = await Promise.all([testLink('node-a', database), testLink('node-b', database)]);
    links.push(...nodes);
    const fleets = nodes.map((link) => new FleetLinks(link, pino({ level: 'silent' })));
    const now = Date.now();
    const asked = Array.from({ length: PENDING_PER_ADDRESS + 6 }, (_, i) => fleets[i % 2]!.create(waitingDevice('198.51.100.7'), now));
    const codes = (await Promise.all(asked)).filter((c) => c !== undefined);
    expect(codes).toHaveLength(PENDING_PER_ADDRESS);
    expect(new Set(codes.map((c) => c.linkId)).size).toBe(PENDING_PER_ADDRESS);
    // Another address is counted apart.
    expect(await fleets[1]!.create(waitingDevice('198.51.100.8'), now)).toBeDefined();
  });
});
