// The relay signs each push it sends over app sessions with its own Ed25519 key, so the app can
// refuse a push nobody but the relay could have made. Signed once per message, however many follow it.
import { sign, type IdentityKeyPair } from '../../shared/crypto.js';
import { pushSignaturePayload, type PushMessage } from '../../shared/push.js';
import type { PushFrame } from '../../shared/protocol.js';
import type { PushEncoding } from './outgoing.js';

export interface SignedPush {
  json: string;
  signature: string;
}

/** Signatures kept for catch-up: sessions that reconnect together ask for the same recent pushes. */
const KEEP = 1000;

export class PushSigner {
  private readonly recent = new Map<string, SignedPush>();

  constructor(private readonly identity: IdentityKeyPair) {}

  get publicKey(): string {
    return this.identity.publicKey;
  }

  signed(message: PushMessage): SignedPush {
    let signed = this.recent.get(message.id);
    if (!signed) {
      const json = JSON.stringify(message);
      signed = { json, signature: sign(pushSignaturePayload(json), this.identity.secretKey) };
      if (this.recent.size >= KEEP) this.recent.delete(this.recent.keys().next().value as string);
      this.recent.set(message.id, signed);
    }
    return signed;
  }

  /** The app-session frame of a push, as text: one encoding for this relay, shared by its sessions. */
  readonly frame: PushEncoding = (message) => {
    const frame: PushFrame = { type: 'push', ...this.signed(message) };
    return JSON.stringify(frame);
  };
}
