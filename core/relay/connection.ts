// The session to the relay: connect, log in by signing the challenge, request/response by id,
// envelopes to the client, reconnect with exponential backoff and jitter, heartbeat.
import { EventEmitter } from 'node:events';
import {
  CloseCode,
  type ClientFrameType,
  type EnvelopeFrame,
  type EphemeralFrame,
  type PresenceEventFrame,
  type PushFrame,
  type ResultData,
} from '../../shared/protocol.js';
import { authPayload, sign, type IdentityKeyPair } from '../../shared/crypto.js';
import type { ConnectionState } from '../../shared/ipc.js';
import { RelayError } from './error.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, RelaySocket, type Outgoing } from './socket.js';

/** A dead connection (no answer to a ping) is noticed within pingEveryMs + requestTimeoutMs: 40 s. */
export interface ConnectionTiming {
  pingEveryMs: number;
  requestTimeoutMs: number;
}
export const DEFAULT_TIMING: ConnectionTiming = { pingEveryMs: 25_000, requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS };
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;

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
  /** The relay refused this many messages for this device while its queue was full. */
  refused: [number];
  ephemeral: [EphemeralFrame];
  presence: [PresenceEventFrame];
  /** How many one-time prekeys this device has left on the relay (at login, and when they run low). */
  preKeys: [number];
  push: [PushFrame];
}

/** Whether to log in to a relay presenting this key: undefined to sign, or the error to stop with. */
export type RelayKeyCheck = (relayKey: string) => RelayError | undefined;

/** This account's presence as a login states it, before any presence frame. */
export interface LoginPresence {
  hidden: boolean;
  away: boolean;
}

export class RelayConnection extends EventEmitter<ConnectionEvents> {
  private socket: RelaySocket | undefined;
  private stopped = true;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private current: ConnectionState = 'offline';
  /** Why the connection stopped for good, if it did. */
  lastError: RelayError | undefined;
  /** The largest attachment (ciphertext bytes) the relay takes, as it said at the last login; undefined before one, or from a relay without attachments. */
  attachmentMaxBytes: number | undefined;

  constructor(
    private readonly serverUrl: string,
    private readonly identity: IdentityKeyPair,
    /** Read at every login: a person who hides their presence, or is away, is never shown online, not even briefly. */
    private readonly loginPresence: () => LoginPresence = () => ({ hidden: false, away: false }),
    private readonly timing: ConnectionTiming = DEFAULT_TIMING,
    /** Asked before every login signature, which names the relay key: never sign for an unexpected one. */
    private readonly checkRelayKey: RelayKeyCheck = () => undefined,
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
    this.socket?.ws.close(CloseCode.normal);
    this.socket = undefined;
    this.setState('offline');
  }

  /** Drops the current socket and connects at once (e.g. the OS reports the network is back). */
  reconnectNow(): void {
    if (this.stopped) return;
    this.attempt = 0;
    clearTimeout(this.retryTimer);
    if (this.socket) this.socket.ws.terminate();
    else this.connect();
  }

  request<T extends ClientFrameType>(frame: Outgoing<T>): Promise<ResultData[T]> {
    if (!this.socket || this.current !== 'online') {
      return Promise.reject(new RelayError('offline', 'not connected to the relay'));
    }
    return this.socket.request<T>(frame);
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
    const socket = new RelaySocket(this.serverUrl, {
      envelope: (frame) => this.emit('envelope', frame),
      drained: () => this.emit('drained'),
      ephemeral: (frame) => this.emit('ephemeral', frame),
      presence: (frame) => this.emit('presence', frame),
      preKeysLow: (remaining) => this.emit('preKeys', remaining),
      push: (frame) => this.emit('push', frame),
    }, this.timing.requestTimeoutMs);
    this.socket = socket;
    socket.ws.on('close', (code) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      clearInterval(this.pingTimer);
      if (code === CloseCode.replaced) {
        // Another process opened this same device: reconnecting would only take turns with it.
        this.fail(new RelayError('replaced', 'this device connected from somewhere else (another window or a warbler CLI?)'));
        return;
      }
      if (code === CloseCode.removed) {
        this.fail(new RelayError('device_removed', 'this device was removed from its account on another device'));
        return;
      }
      if (this.stopped) return;
      this.setState('connecting');
      this.scheduleRetry();
    });
    socket.ws.on('error', () => undefined);
    void this.login(socket);
  }

  private async login(socket: RelaySocket): Promise<void> {
    try {
      const challenge = await socket.challenge;
      const refused = this.checkRelayKey(challenge.relayKey);
      if (refused) {
        // Retrying meets the same key: only the person can decide to trust it.
        this.fail(refused);
        return;
      }
      const signature = sign(authPayload(challenge, this.identity.publicKey), this.identity.secretKey);
      const result = await socket.request({ type: 'auth', identityKey: this.identity.publicKey, signature, ...this.loginPresence() });
      this.attachmentMaxBytes = result.attachmentMaxBytes;
      if (result.expired > 0) this.emit('expired', result.expired);
      if (result.refused > 0) this.emit('refused', result.refused);
      this.emit('preKeys', result.oneTimePreKeys);
    } catch (err) {
      const error = err instanceof RelayError ? err : new RelayError('offline', (err as Error).message);
      if (error.code === 'unknown_device' || error.code === 'bad_signature' || error.code === 'protocol_mismatch') {
        this.fail(error);
        return;
      }
      this.emit('attemptFailed', error);
      socket.ws.terminate();
      return;
    }
    if (this.socket !== socket) return;
    this.attempt = 0;
    this.startHeartbeat(socket);
    this.setState('online');
  }

  /** Stops for good (until start() is called again) and says why. */
  private fail(error: RelayError): void {
    this.stop();
    this.lastError = error;
    this.emit('fatal', error);
  }

  private startHeartbeat(socket: RelaySocket): void {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      socket.request({ type: 'ping' }).catch(() => socket.ws.terminate());
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
