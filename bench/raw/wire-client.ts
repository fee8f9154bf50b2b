// A load generator's device: it speaks the relay's wire protocol directly, with envelopes sealed
// once before the run, so neither client crypto nor a client history is in the relay's figures.
// Frames are read with JSON.parse alone: the generator must stay cheaper than what it measures.
import WebSocket from 'ws';
import { authPayload, certifyDevice, fromB64, generateIdentity, sign, toB64, type IdentityKeyPair } from '../../shared/crypto.js';
import { generateDhKeyPair } from '../../shared/e2e/primitives.js';
import { signPreKey } from '../../shared/e2e/x3dh.js';
import { MAX_SOCKET_PAYLOAD } from '../../shared/protocol.js';
import { loginOrigin, relaySocketUrl } from '../../shared/urls.js';

export interface WireDevice {
  username: string;
  identity: IdentityKeyPair;
  account: IdentityKeyPair;
}

/** An envelope as the relay hands it over (the fields the generator reads). */
export interface ReceivedEnvelope {
  seq: number;
  kind: 'message' | 'delivered';
  messageId: string;
}

interface Waiting {
  resolve(data: unknown): void;
  reject(err: Error): void;
}

export function newDevice(username: string): WireDevice {
  return { username, identity: generateIdentity(), account: generateIdentity() };
}

export class WireSocket {
  private nextId = 1;
  private readonly waiting = new Map<string, Waiting>();
  private readonly acks: number[] = [];
  private ackScheduled = false;
  /** The relay's challenge: what a login signs. */
  readonly challenge: Promise<{ nonce: string; relayKey: string }>;
  /** Called for each envelope; the socket acks every envelope itself, once per turn. */
  onEnvelope: (envelope: ReceivedEnvelope) => void = () => undefined;
  /** Called when the socket has closed, whoever closed it. */
  onClose: (code: number) => void = () => undefined;

  private constructor(
    readonly ws: WebSocket,
    readonly serverUrl: string,
  ) {
    this.challenge = new Promise((resolve, reject) => {
      ws.once('error', reject);
      ws.once('close', (code) => {
        const closed = new Error(`the relay closed the socket (${code})`);
        reject(closed);
        // A request the relay will never answer fails rather than waits for ever.
        for (const waiting of this.waiting.values()) waiting.reject(closed);
        this.waiting.clear();
        this.onClose(code);
      });
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { type: string; id?: string; data?: unknown; message?: string; code?: string } & Record<string, unknown>;
        if (frame.type === 'challenge') resolve({ nonce: frame.nonce as string, relayKey: frame.relayKey as string });
        else if (frame.type === 'envelope') this.envelope(frame as unknown as ReceivedEnvelope);
        else if (frame.type === 'result' || frame.type === 'error') this.answer(frame);
      });
    });
    this.challenge.catch(() => undefined);
  }

  static open(serverUrl: string): WireSocket {
    return new WireSocket(new WebSocket(relaySocketUrl(serverUrl), { maxPayload: MAX_SOCKET_PAYLOAD, perMessageDeflate: false }), serverUrl);
  }

  /** Sends a frame and resolves with its result's data; rejects with the relay's error. */
  request(frame: Record<string, unknown> & { type: string }): Promise<unknown> {
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ ...frame, id }));
    });
  }

  close(): void {
    this.ws.close(1000);
  }

  private answer(frame: { type: string; id?: string; data?: unknown; message?: string; code?: string }): void {
    const waiting = frame.id === undefined ? undefined : this.waiting.get(frame.id);
    if (!waiting) return;
    this.waiting.delete(frame.id!);
    if (frame.type === 'result') waiting.resolve(frame.data);
    else waiting.reject(new Error(`${frame.code}: ${frame.message}`));
  }

  private envelope(envelope: ReceivedEnvelope): void {
    this.acks.push(envelope.seq);
    if (!this.ackScheduled) {
      this.ackScheduled = true;
      setImmediate(() => this.flushAcks());
    }
    this.onEnvelope(envelope);
  }

  private flushAcks(): void {
    this.ackScheduled = false;
    while (this.acks.length > 0) {
      const seqs = this.acks.splice(0, 1000);
      this.request({ type: 'ack', seqs }).catch(() => undefined);
    }
  }
}

/** Registers the device's account (a signed prekey, no one-time prekeys: nobody starts a session here). */
export async function register(serverUrl: string, device: WireDevice): Promise<void> {
  const socket = WireSocket.open(serverUrl);
  try {
    const challenge = await socket.challenge;
    const { identity, account } = device;
    const dh = generateDhKeyPair();
    await socket.request({
      type: 'register',
      username: device.username,
      identityKey: identity.publicKey,
      signature: sign(authPayload({ ...challenge, origin: loginOrigin(serverUrl) }, identity.publicKey), identity.secretKey),
      accountKey: account.publicKey,
      certificate: certifyDevice(identity.publicKey, account.secretKey),
      preKeys: {
        signedPreKey: { id: 1, publicKey: toB64(dh.publicKey), signature: toB64(signPreKey(fromB64(identity.secretKey), dh.publicKey)) },
        oneTimePreKeys: [],
      },
    });
  } finally {
    socket.close();
  }
}

/** A logged-in socket for the device. */
export async function login(serverUrl: string, device: WireDevice): Promise<WireSocket> {
  const socket = WireSocket.open(serverUrl);
  const challenge = await socket.challenge;
  const { identity } = device;
  await socket.request({
    type: 'auth',
    identityKey: identity.publicKey,
    signature: sign(authPayload({ ...challenge, origin: loginOrigin(serverUrl) }, identity.publicKey), identity.secretKey),
  });
  return socket;
}
