// The session to the relay: connect, log in by signing the challenge, request/response by id,
// envelopes to the client, reconnect with exponential backoff and jitter, heartbeat.
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import {
  REMOVED_CLOSE_CODE,
  REPLACED_CLOSE_CODE,
  ServerFrame,
  resultSchemas,
  describeZodError,
  type ClientFrame,
  type ClientFrameType,
  type EnvelopeFrame,
  type EphemeralFrame,
  type ErrorFrame,
  type PresenceEventFrame,
  type PushFrame,
  type PreKeyUpload,
  type ResultData,
  type SignedPreKey,
} from '../shared/protocol.js';
import { authPayload, certifyDevice, sign, type IdentityKeyPair } from '../shared/crypto.js';
import { relaySocketUrl } from '../shared/urls.js';
import type { ConnectionState } from '../shared/ipc.js';

/** A dead connection (no answer to a ping) is noticed within pingEveryMs + requestTimeoutMs: 40 s. */
export interface ConnectionTiming {
  pingEveryMs: number;
  requestTimeoutMs: number;
}
export const DEFAULT_TIMING: ConnectionTiming = { pingEveryMs: 25_000, requestTimeoutMs: 15_000 };
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;

/** A request the relay answered with an error frame, or that could not be made. */
export class RelayError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly frame?: ErrorFrame,
  ) {
    super(message);
    this.name = 'RelayError';
  }
}

type Outgoing<T extends ClientFrameType> = Omit<Extract<ClientFrame, { type: T }>, 'id'>;

interface Pending {
  type: ClientFrameType;
  resolve(data: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** What the relay pushes without being asked. */
interface LinkHandlers {
  envelope?(frame: EnvelopeFrame): void;
  drained?(): void;
  ephemeral?(frame: EphemeralFrame): void;
  presence?(frame: PresenceEventFrame): void;
  linked?(linked: Linked): void;
  preKeysLow?(remaining: number): void;
  push?(frame: PushFrame): void;
}

/** What a device waiting to be linked receives: its account, and the account key sealed to it. */
export interface Linked {
  username: string;
  accountKey: string;
  sealedAccount: string;
  confirmation: string;
}

type FirstPreKeys = PreKeyUpload & { signedPreKey: SignedPreKey };

/** One open socket: challenge, then id-matched requests. */
class Link {
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  readonly challenge: Promise<string>;
  /** The relay's signing key, from its challenge. */
  relayKey: string | undefined;

  constructor(
    readonly socket: WebSocket,
    private readonly on: LinkHandlers = {},
    private readonly requestTimeoutMs = DEFAULT_TIMING.requestTimeoutMs,
  ) {
    this.challenge = new Promise((resolve, reject) => {
      socket.once('close', (code, reason) =>
        reject(new RelayError('offline', `connection closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`)),
      );
      socket.once('error', (err) => reject(new RelayError('offline', err.message)));
      socket.on('message', (data) => {
        try {
          const frame = this.parse(data.toString());
          if (frame?.type === 'challenge') {
            this.relayKey = frame.relayKey;
            resolve(frame.nonce);
          }
          else if (frame) this.dispatch(frame);
        } catch (err) {
          // Whatever a relay sends, this process keeps running; the link is dropped and retried.
          socket.close(1011, `could not handle a frame: ${(err as Error).message}`.slice(0, 120));
        }
      });
    });
    this.challenge.catch(() => undefined);
    socket.on('close', () => this.failAll(new RelayError('offline', 'the connection to the relay closed')));
  }

  private parse(text: string): ServerFrame | undefined {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.socket.close(1002, 'bad JSON from relay');
      return undefined;
    }
    const parsed = ServerFrame.safeParse(json);
    if (!parsed.success) {
      // A frame this client does not understand is not fatal: the relay may be newer.
      const id = typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : undefined;
      if (typeof id === 'string') this.settle(id, new RelayError('bad_frame', `unreadable answer: ${describeZodError(parsed.error)}`));
      return undefined;
    }
    return parsed.data;
  }

  private dispatch(frame: ServerFrame): void {
    switch (frame.type) {
      case 'result':
        return this.settle(frame.id, frame.data);
      case 'error':
        if (frame.id) return this.settle(frame.id, new RelayError(frame.code, frame.message, frame));
        return;
      case 'envelope':
        return this.on.envelope?.(frame);
      case 'drained':
        return this.on.drained?.();
      case 'ephemeral':
        return this.on.ephemeral?.(frame);
      case 'presence':
        return this.on.presence?.(frame);
      case 'linked':
        return this.on.linked?.({
          username: frame.username,
          accountKey: frame.accountKey,
          sealedAccount: frame.sealedAccount,
          confirmation: frame.confirmation,
        });
      case 'prekeys-low':
        return this.on.preKeysLow?.(frame.remaining);
      case 'push':
        return this.on.push?.(frame);
      case 'challenge':
        return;
    }
  }

  private settle(id: string, outcome: unknown): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (outcome instanceof Error) return p.reject(outcome);
    const parsed = resultSchemas[p.type].safeParse(outcome);
    if (parsed.success) p.resolve(parsed.data);
    else p.reject(new RelayError('bad_frame', `unreadable ${p.type} result: ${describeZodError(parsed.error)}`));
  }

  request<T extends ClientFrameType>(frame: Outgoing<T> & { type: T }): Promise<ResultData[T]> {
    if (this.socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new RelayError('offline', 'not connected to the relay'));
    }
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RelayError('timeout', `the relay did not answer ${frame.type} in time`));
      }, this.requestTimeoutMs);
      this.pending.set(id, { type: frame.type, resolve: resolve as (d: unknown) => void, reject, timer });
      this.socket.send(JSON.stringify({ ...frame, id }));
    });
  }

  private failAll(err: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(id);
    }
  }
}

function openSocket(serverUrl: string): WebSocket {
  return new WebSocket(relaySocketUrl(serverUrl), { handshakeTimeout: 10_000, maxPayload: 4 * 1024 * 1024 });
}

/** Registers a new account with its first device and its prekeys; resolves once the relay has stored it. */
export async function registerAccount(
  serverUrl: string,
  username: string,
  keys: { identity: IdentityKeyPair; account: IdentityKeyPair; preKeys: FirstPreKeys },
): Promise<void> {
  const socket = openSocket(serverUrl);
  const link = new Link(socket);
  try {
    const nonce = await link.challenge;
    const { identity, account } = keys;
    await link.request({
      type: 'register',
      username,
      identityKey: identity.publicKey,
      signature: sign(authPayload(nonce, identity.publicKey), identity.secretKey),
      accountKey: account.publicKey,
      certificate: certifyDevice(identity.publicKey, account.secretKey),
      preKeys: keys.preKeys,
    });
  } finally {
    socket.close(1000);
  }
}

export interface PendingLink {
  /** The code to enter on a device that has the account. */
  linkId: string;
  expiresAt: number;
  /** Resolves once an existing device approved this one. */
  linked: Promise<Linked>;
  cancel(): void;
}

/** Asks the relay to link a new device key to an existing account; waits for the approval. */
export async function requestLink(serverUrl: string, identity: IdentityKeyPair, preKeys: FirstPreKeys, proof: string): Promise<PendingLink> {
  const socket = openSocket(serverUrl);
  let onLinked!: (linked: Linked) => void;
  const linked = new Promise<Linked>((resolve, reject) => {
    onLinked = resolve;
    socket.once('close', (code, reason) =>
      reject(new RelayError('offline', `the link request ended (${code}${reason.length ? ` ${reason.toString()}` : ''})`)),
    );
  });
  linked.catch(() => undefined);
  const link = new Link(socket, { linked: (l) => onLinked(l) });
  try {
    const nonce = await link.challenge;
    const signature = sign(authPayload(nonce, identity.publicKey), identity.secretKey);
    const { linkId, expiresAt } = await link.request({ type: 'link-request', identityKey: identity.publicKey, signature, preKeys, proof });
    void linked.then(() => socket.close(1000), () => undefined);
    return { linkId, expiresAt, linked, cancel: () => socket.close(1000) };
  } catch (err) {
    socket.close(1000);
    throw err;
  }
}

export interface ConnectionEvents {
  state: [ConnectionState];
  /** Envelopes in the relay's order; `drained` follows the backlog present at login. */
  envelope: [EnvelopeFrame];
  drained: [];
  /** A login failure that retrying will not fix by itself (e.g. the relay forgot this device). */
  fatal: [RelayError];
  /** One connection attempt failed; another follows after a backoff. */
  attemptFailed: [RelayError];
  /** This many messages expired on the relay before this device came back. */
  expired: [number];
  ephemeral: [EphemeralFrame];
  presence: [PresenceEventFrame];
  /** How many one-time prekeys this device has left on the relay (at login, and when they run low). */
  preKeys: [number];
  push: [PushFrame];
  /** The relay's signing key, at every login (before the connection counts as online). */
  relayKey: [string];
}

export class RelayConnection extends EventEmitter<ConnectionEvents> {
  private link: Link | undefined;
  private stopped = true;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private current: ConnectionState = 'offline';
  /** Why the connection stopped for good, if it did. */
  lastError: RelayError | undefined;

  constructor(
    private readonly serverUrl: string,
    private readonly identity: IdentityKeyPair,
    /** Read at every login: a person who hides their presence is never shown online, not even briefly. */
    private readonly hidden: () => boolean = () => false,
    private readonly timing: ConnectionTiming = DEFAULT_TIMING,
  ) {
    super();
  }

  get state(): ConnectionState {
    return this.current;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.lastError = undefined;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.link?.socket.close(1000);
    this.link = undefined;
    this.setState('offline');
  }

  /** Drops the current socket and connects at once (e.g. the OS reports the network is back). */
  reconnectNow(): void {
    if (this.stopped) return;
    this.attempt = 0;
    clearTimeout(this.retryTimer);
    if (this.link) this.link.socket.terminate();
    else this.connect();
  }

  request<T extends ClientFrameType>(frame: Outgoing<T> & { type: T }): Promise<ResultData[T]> {
    if (!this.link || this.current !== 'online') {
      return Promise.reject(new RelayError('offline', 'not connected to the relay'));
    }
    return this.link.request<T>(frame);
  }

  /** Resolves when online; rejects after timeoutMs, or at the first failed attempt with failFast. */
  waitOnline(timeoutMs: number, opts: { failFast?: boolean } = {}): Promise<void> {
    if (this.current === 'online') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onState = (state: ConnectionState) => {
        if (state !== 'online') return;
        cleanup();
        resolve();
      };
      const onFatal = (err: RelayError) => {
        cleanup();
        reject(err);
      };
      const onAttemptFailed = (err: RelayError) => {
        if (opts.failFast) onFatal(new RelayError('offline', `could not reach the relay at ${this.serverUrl}: ${err.message}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new RelayError('offline', `could not reach the relay at ${this.serverUrl}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('state', onState);
        this.off('fatal', onFatal);
        this.off('attemptFailed', onAttemptFailed);
      };
      this.on('state', onState);
      this.on('fatal', onFatal);
      this.on('attemptFailed', onAttemptFailed);
    });
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.emit('state', state);
  }

  private connect(): void {
    this.setState('connecting');
    const socket = openSocket(this.serverUrl);
    const link = new Link(socket, {
      envelope: (frame) => this.emit('envelope', frame),
      drained: () => this.emit('drained'),
      ephemeral: (frame) => this.emit('ephemeral', frame),
      presence: (frame) => this.emit('presence', frame),
      preKeysLow: (remaining) => this.emit('preKeys', remaining),
      push: (frame) => this.emit('push', frame),
    }, this.timing.requestTimeoutMs);
    this.link = link;
    socket.on('close', (code) => {
      if (this.link !== link) return;
      this.link = undefined;
      clearInterval(this.pingTimer);
      if (code === REPLACED_CLOSE_CODE) {
        // Another process opened this same device: reconnecting would only take turns with it.
        this.fail(new RelayError('replaced', 'this device connected from somewhere else (another window or a warbler CLI?)'));
        return;
      }
      if (code === REMOVED_CLOSE_CODE) {
        this.fail(new RelayError('device_removed', 'this device was removed from its account on another device'));
        return;
      }
      if (this.stopped) return;
      this.setState('connecting');
      this.scheduleRetry();
    });
    socket.on('error', () => undefined);
    void this.login(link);
  }

  private async login(link: Link): Promise<void> {
    try {
      const nonce = await link.challenge;
      if (link.relayKey) this.emit('relayKey', link.relayKey);
      const signature = sign(authPayload(nonce, this.identity.publicKey), this.identity.secretKey);
      const result = await link.request({ type: 'auth', identityKey: this.identity.publicKey, signature, hidden: this.hidden() });
      if (result.expired > 0) this.emit('expired', result.expired);
      this.emit('preKeys', result.oneTimePreKeys);
    } catch (err) {
      const error = err instanceof RelayError ? err : new RelayError('offline', (err as Error).message);
      if (error.code === 'unknown_device' || error.code === 'bad_signature') {
        this.fail(error);
        return;
      }
      this.emit('attemptFailed', error);
      link.socket.terminate();
      return;
    }
    if (this.link !== link) return;
    this.attempt = 0;
    this.startHeartbeat(link);
    this.setState('online');
  }

  /** Stops for good (until start() is called again) and says why. */
  private fail(error: RelayError): void {
    this.stop();
    this.lastError = error;
    this.emit('fatal', error);
  }

  private startHeartbeat(link: Link): void {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      link.request({ type: 'ping' }).catch(() => link.socket.terminate());
    }, this.timing.pingEveryMs);
    this.pingTimer.unref();
  }

  private scheduleRetry(): void {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.attempt);
    this.attempt += 1;
    // Full jitter: clients that lost the relay together do not come back together.
    const delay = Math.random() * ceiling;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
