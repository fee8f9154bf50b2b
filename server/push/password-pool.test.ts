// Argon2id checks on worker threads: the right answers, the relay's thread free meanwhile, a
// bounded queue, and a clean close.
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './access.js';
import { PasswordPool, PoolBusyError } from './password-pool.js';

let hash: string;
const pools: PasswordPool[] = [];
const pool = (size?: number, maxWaiting?: number) => {
  const made = new PasswordPool(size, maxWaiting);
  pools.push(made);
  return made;
};

beforeAll(async () => {
  await sodium.ready;
  hash = hashPassword('correct horse');
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('PasswordPool', () => {
  it('says whether a password matches, and refuses a malformed hash as a mismatch', async () => {
    const passwords = pool(2);
    expect(await Promise.all([passwords.verify(hash, 'correct horse'), passwords.verify(hash, 'battery staple'), passwords.verify('not a hash', 'x')])).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('leaves the calling thread free while it checks', async () => {
    const passwords = pool(1);
    const order: string[] = [];
    const check = passwords.verify(hash, 'guess').then(() => order.push('checked'));
    // Done on this thread, the check would be over before the event loop turned once.
    await new Promise((resolve) => setImmediate(resolve));
    order.push('the loop turned');
    await check;
    expect(order).toEqual(['the loop turned', 'checked']);
  });

  it('refuses at once when too many checks wait, and serves the rest', async () => {
    const passwords = pool(1, 2);
    const first = passwords.verify(hash, 'correct horse'); // running
    const waiting = [passwords.verify(hash, 'a'), passwords.verify(hash, 'b')];
    await expect(passwords.verify(hash, 'c')).rejects.toBeInstanceOf(PoolBusyError);
    expect(await first).toBe(true);
    expect(await Promise.all(waiting)).toEqual([false, false]);
  });

  it('fails what waits when it closes', async () => {
    const passwords = pool(1);
    const running = expect(passwords.verify(hash, 'x')).rejects.toThrow();
    const waiting = expect(passwords.verify(hash, 'y')).rejects.toThrow(/closed/);
    await passwords.close();
    await waiting;
    await running;
    await expect(passwords.verify(hash, 'z')).rejects.toThrow(/closed/);
  });
});
