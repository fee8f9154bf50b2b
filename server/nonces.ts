// The login challenge's nonce, one per connection. Drawn one at a time, each cost a call into the
// operating system's random source (about 10 µs here, a few percent of a login); drawn from a
// pool filled 128 at a time, a fraction of that. Every nonce is used once and the pool is never
// reused, so they stay as unpredictable as the source.
import { randomFillSync } from 'node:crypto';

const NONCE_BYTES = 32;
const POOL_NONCES = 128;

const pool = Buffer.alloc(NONCE_BYTES * POOL_NONCES);
let used = POOL_NONCES;

/** 32 random bytes, base64url without padding (as the protocol's keys and signatures are). */
export function newNonce(): string {
  if (used === POOL_NONCES) {
    randomFillSync(pool);
    used = 0;
  }
  const at = used++ * NONCE_BYTES;
  return pool.toString('base64url', at, at + NONCE_BYTES);
}
