// Upload tokens for attachments: `Authorization: Bearer <token>` on the tus requests. A logged-in
// device asks for one over its WebSocket (the blob-token request); the relay signs who it is and
// until when with its own Ed25519 key, the one that signs pushes. Nothing is kept: any node that
// has the relay's key checks a token by its signature alone, and a token expires on its own.
import { z } from 'zod';
import { sign, verify } from '../../shared/crypto.js';
import { IdentityKey, Username } from '../../shared/protocol.js';
import type { RelayKeyPair } from '../storage/relay-identity-store.js';

/** How long a token is good for; the core asks for a new one before then. */
export const BLOB_TOKEN_MS = 24 * 3600_000;
/** Longer strings are not looked at (BlobTokenResult allows 1024). */
const MAX_TOKEN_CHARS = 1024;
const VERSION = 'v1';

/** Who a token was given to, and until when (ms). */
export interface BlobGrant {
  account: string;
  device: string;
  expiresAt: number;
}

const Claims = z
  .object({ a: Username, d: IdentityKey, e: z.number().int().positive() })
  .strict();

/** The bytes signed: bound to this purpose, so no other signature of the relay's key passes for a token. */
const signed = (claims: string): Uint8Array => new TextEncoder().encode(`warbler-blob-token-v1\n${claims}`);

export class BlobTokens {
  constructor(
    private readonly key: RelayKeyPair,
    private readonly now: () => number,
  ) {}

  /** `v1.<claims, base64url JSON>.<signature>`. */
  issue(account: string, device: string): { token: string; expiresAt: number } {
    const expiresAt = this.now() + BLOB_TOKEN_MS;
    const claims = Buffer.from(JSON.stringify({ a: account, d: device, e: expiresAt })).toString('base64url');
    return { token: `${VERSION}.${claims}.${sign(signed(claims), this.key.secretKey)}`, expiresAt };
  }

  /** The grant of a token this relay signed and that has not expired; undefined for anything else. */
  verify(token: string | undefined): BlobGrant | undefined {
    if (token === undefined || token.length > MAX_TOKEN_CHARS) return undefined;
    const [version, claims, signature, ...rest] = token.split('.');
    if (version !== VERSION || !claims || !signature || rest.length > 0) return undefined;
    if (!verify(signed(claims), signature, this.key.publicKey)) return undefined;
    let parsed: z.infer<typeof Claims>;
    try {
      parsed = Claims.parse(JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')));
    } catch {
      return undefined;
    }
    if (parsed.e <= this.now()) return undefined;
    return { account: parsed.a, device: parsed.d, expiresAt: parsed.e };
  }
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
