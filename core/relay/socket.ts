// One open WebSocket to the relay: its challenge, then requests matched to their answers by id,
// and the frames the relay sends unasked handed to whoever opened it.
import WebSocket from 'ws';
import {
  CloseCode,
  ErrorFrame,
  MAX_SOCKET_PAYLOAD,
  PROTOCOL_VERSION,
  ServerFrame,
  WireErrorCode,
  resultSchemas,
  describeZodError,
  type ClientFrame,
  type ClientFrameType,
  type EnvelopeFrame,
  type EphemeralFrame,
  type PresenceEventFrame,
  type PushFrame,
  type ResultData,
} from '../../shared/protocol.js';
import type { LoginBinding } from '../../shared/crypto.js';
import { ErrorParams } from '../../shared/errors.js';
import { loginOrigin, relaySocketUrl } from '../../shared/urls.js';
import { RelayError } from './error.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/**
 * An error frame as this client reads it, as shared/ipc.ts reads IpcError: a code from a newer relay
 * is taken as `internal` and bad params as none, so the request still fails with the relay's own
 * message (for the log) rather than as an unreadable answer. The relay's frames stay strict (ErrorFrame).
 */
const ReceivedErrorFrame = ErrorFrame.extend({ code: WireErrorCode.catch('internal'), params: ErrorParams.optional().catch(undefined) });

export type Outgoing<T extends ClientFrameType> = Omit<Extract<ClientFrame, { type: T }>, 'id'> & { type: T };

interface Pending {
  type: ClientFrameType;
  resolve(data: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** What the relay sends without being asked. */
export interface SocketHandlers {
  envelope?(frame: EnvelopeFrame): void;
  drained?(): void;
  ephemeral?(frame: EphemeralFrame): void;
  presence?(frame: PresenceEventFrame): void;
  linked?(frame: Extract<ServerFrame, { type: 'linked' }>): void;
  preKeysLow?(remaining: number): void;
  push?(frame: PushFrame): void;
}

export class RelaySocket {
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  readonly ws: WebSocket;
  /**
   * What a login on this socket signs: the relay's challenge, its key, and the host this socket
   * reached. Rejects with protocol_mismatch from a relay of another protocol version.
   */
  readonly challenge: Promise<LoginBinding>;

  constructor(
    serverUrl: string,
    private readonly on: SocketHandlers = {},
    private readonly requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {
    const socketUrl = relaySocketUrl(serverUrl);
    const ws = new WebSocket(socketUrl, { handshakeTimeout: 10_000, maxPayload: MAX_SOCKET_PAYLOAD });
    this.ws = ws;
    this.challenge = new Promise((resolve, reject) => {
      ws.once('close', (code, reason) =>
        reject(new RelayError('offline', `connection closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`)),
      );
      ws.once('error', (err) => reject(new RelayError('offline', err.message)));
      ws.on('message', (data) => {
        try {
          const frame = this.parse(data.toString());
          if (frame?.type === 'challenge') resolve({ nonce: frame.nonce, relayKey: frame.relayKey, origin: loginOrigin(socketUrl) });
          else if (frame) this.dispatch(frame);
        } catch (err) {
          if (err instanceof RelayError && err.code === 'protocol_mismatch') {
            // Before the close below rejects it as offline: the caller learns why.
            reject(err);
            ws.close(CloseCode.protocolError, err.message.slice(0, 120));
            return;
          }
          // Whatever a relay sends, this process keeps running; the socket is dropped and retried.
          ws.close(CloseCode.internalError, `could not handle a frame: ${(err as Error).message}`.slice(0, 120));
        }
      });
    });
    this.challenge.catch(() => undefined);
    ws.on('close', () => this.failAll(new RelayError('offline', 'the connection to the relay closed')));
  }

  private parse(text: string): ServerFrame | undefined {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.ws.close(CloseCode.protocolError, 'bad JSON from relay');
      return undefined;
    }
    const fields = typeof json === 'object' && json !== null ? (json as { type?: unknown; id?: unknown; protocol?: unknown }) : {};
    if (fields.type === 'challenge' && fields.protocol !== PROTOCOL_VERSION) {
      // Checked before the frame's shape, which another version may change. Signing this challenge
      // would only earn a bad_signature: the login payload changes with the protocol.
      const theirs = typeof fields.protocol === 'number' ? fields.protocol : 'unknown';
      throw new RelayError('protocol_mismatch', `the relay speaks protocol ${theirs}; this Warbler speaks protocol ${PROTOCOL_VERSION}`);
    }
    const parsed = fields.type === 'error' ? ReceivedErrorFrame.safeParse(json) : ServerFrame.safeParse(json);
    if (!parsed.success) {
      // A frame this client does not understand is not fatal: the relay may be newer.
      const id = fields.id;
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
        return this.on.linked?.(frame);
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

  request<T extends ClientFrameType>(frame: Outgoing<T>): Promise<ResultData[T]> {
    if (this.ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new RelayError('offline', 'not connected to the relay'));
    }
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RelayError('timeout', `the relay did not answer ${frame.type} in time`));
      }, this.requestTimeoutMs);
      this.pending.set(id, { type: frame.type, resolve: resolve as (d: unknown) => void, reject, timer });
      this.ws.send(JSON.stringify({ ...frame, id }));
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
