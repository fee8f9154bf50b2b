// A bare WebSocket to the relay, for driving the protocol frame by frame (including wrongly).
import WebSocket from 'ws';
import { authPayload, certifyDevice, fromB64, generateIdentity, sign, toB64, type IdentityKeyPair, type LoginBinding } from '../shared/crypto.js';
import { generateDhKeyPair } from '../shared/e2e/primitives.js';
import { signPreKey } from '../shared/e2e/x3dh.js';
import { WS_PATH } from '../shared/protocol.js';
import { loginOrigin } from '../shared/urls.js';

/** A register frame as a real client sends it: device and account keys, a certificate, a signed prekey. */
export function registerFrame(binding: LoginBinding, username: string, identity: IdentityKeyPair, account = generateIdentity()): Record<string, unknown> {
  const spk = generateDhKeyPair();
  return {
    type: 'register',
    id: 'reg',
    username,
    identityKey: identity.publicKey,
    signature: sign(authPayload(binding, identity.publicKey), identity.secretKey),
    accountKey: account.publicKey,
    certificate: certifyDevice(identity.publicKey, account.secretKey),
    preKeys: {
      signedPreKey: { id: 1, publicKey: toB64(spk.publicKey), signature: toB64(signPreKey(fromB64(identity.secretKey), spk.publicKey)) },
      oneTimePreKeys: [],
    },
  };
}

export class RawSocket {
  readonly frames: Record<string, unknown>[] = [];
  /** The relay's frames are JSON text: a binary one is counted here. */
  binaryFrames = 0;
  private waiters: { match: (f: Record<string, unknown>) => boolean; resolve: (f: Record<string, unknown>) => void }[] = [];
  closed: { code: number; reason: string } | undefined;

  private constructor(
    readonly ws: WebSocket,
    /** The host this socket reached the relay at, as a real client signs it. */
    readonly origin: string,
  ) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) this.binaryFrames++;
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  /**
   * localAddress: the loopback address to connect from (127.0.0.2 …), to stand for another machine.
   * headers: sent with the upgrade request, as a proxy in front of the relay would add them.
   */
  static async open(relayUrl: string, options: { localAddress?: string; headers?: Record<string, string> } = {}): Promise<RawSocket> {
    const ws = new WebSocket(relayUrl + WS_PATH, {
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
    });
    const raw = new RawSocket(ws, loginOrigin(relayUrl + WS_PATH));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    await raw.next((f) => f.type === 'challenge');
    return raw;
  }

  /** What a real client's login on this socket signs: the challenge, the relay's key, this socket's origin. */
  get binding(): LoginBinding {
    const challenge = this.frames.find((f) => f.type === 'challenge');
    return { nonce: challenge?.nonce as string, relayKey: challenge?.relayKey as string, origin: this.origin };
  }

  next(match: (f: Record<string, unknown>) => boolean, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching frame')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  /** Sends a frame and waits for the result or error that carries its id. */
  async request(frame: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.ws.send(JSON.stringify(frame));
    return this.next((f) => (f.type === 'result' || f.type === 'error') && f.id === frame.id);
  }

  /** Logs in as an existing device: the relay takes this socket as that device's connection. */
  async login(identity: IdentityKeyPair): Promise<Record<string, unknown>> {
    return this.request({ type: 'auth', id: 'auth', identityKey: identity.publicKey, signature: sign(authPayload(this.binding, identity.publicKey), identity.secretKey) });
  }

  async register(username: string, identity: IdentityKeyPair = generateIdentity()): Promise<IdentityKeyPair> {
    const reply = await this.request(registerFrame(this.binding, username, identity));
    if (reply.type !== 'result') throw new Error(`register failed: ${JSON.stringify(reply)}`);
    return identity;
  }

  close(): void {
    this.ws.close();
  }
}
