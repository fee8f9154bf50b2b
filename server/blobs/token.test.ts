// Upload tokens: the relay's signature over who and until when. Any change to a token, a token of
// another relay, and an expired one are refused; nothing is looked up to decide.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity, loadSodium } from '../../shared/crypto.js';
import { BLOB_TOKEN_MS, BlobTokens, bearerToken } from './token.js';

beforeAll(loadSodium);

const device = 'A'.repeat(43);

function tokens(at = { now: 1_000_000 }) {
  return { at, tokens: new BlobTokens(generateIdentity(), () => at.now) };
}

const encode = (claims: unknown) => Buffer.from(JSON.stringify(claims)).toString('base64url');

describe('blob tokens', () => {
  it('name the account and device they were given to, for 24 hours', () => {
    const { tokens: relay } = tokens();
    const { token, expiresAt } = relay.issue('alice', device);
    expect(expiresAt).toBe(1_000_000 + BLOB_TOKEN_MS);
    expect(relay.verify(token)).toEqual({ account: 'alice', device, expiresAt });
  });

  it('are refused once expired', () => {
    const { at, tokens: relay } = tokens();
    const { token, expiresAt } = relay.issue('alice', device);
    at.now = expiresAt - 1;
    expect(relay.verify(token)).toBeDefined();
    at.now = expiresAt;
    expect(relay.verify(token)).toBeUndefined();
  });

  it('are refused with any change: claims, signature, version, or extra parts', () => {
    const { tokens: relay } = tokens();
    const { token, expiresAt } = relay.issue('alice', device);
    const [version, claims, signature] = token.split('.') as [string, string, string];
    const forged = [
      // Another account, or a later expiry, under the same signature.
      `${version}.${encode({ a: 'mallory', d: device, e: expiresAt })}.${signature}`,
      `${version}.${encode({ a: 'alice', d: device, e: expiresAt + BLOB_TOKEN_MS })}.${signature}`,
      `${version}.${claims}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`,
      `v2.${claims}.${signature}`,
      `${token}.extra`,
      `${version}.${claims}`,
      '',
      'Bearer',
      'v1..',
      `v1.${'x'.repeat(2000)}.${signature}`,
    ];
    for (const bad of forged) expect(relay.verify(bad), bad).toBeUndefined();
    expect(relay.verify(undefined)).toBeUndefined();
  });

  it('are refused by another relay, and claims it signed that are not a grant are refused too', () => {
    const { tokens: relay } = tokens();
    const { tokens: other } = tokens();
    expect(other.verify(relay.issue('alice', device).token)).toBeUndefined();
    // A well-signed payload that is not a grant (a bug elsewhere must not turn into access).
    const identity = generateIdentity();
    const signer = new BlobTokens(identity, () => 0);
    const checker = new BlobTokens(identity, () => 0);
    const { token } = signer.issue('alice', 'not a device key');
    expect(checker.verify(token)).toBeUndefined();
  });

  it('come from an Authorization: Bearer header', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
