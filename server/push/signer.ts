// The relay signs each push it sends over app sessions with its own Ed25519 key, so the app can
// refuse a push nobody but the relay could have made. Signed once per message, however many follow it.
import { sign, type IdentityKeyPair } from '../../shared/crypto.js';
import { pushSignaturePayload, type PushMessage } from '../../shared/push.js';

export interface SignedPush {
  json: string;
  signature: string;
}

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
}
