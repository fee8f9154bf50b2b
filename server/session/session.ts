// One WebSocket connection: frames in, each request routed by its type to the part that handles it,
// frames out. Its parts: login, messages, devices, linking, push topics, blob tokens, and the queue pump.
import type { WebSocket, RawData } from 'ws';
import {
  ClientFrame,
  CloseCode,
  MAX_CONTROL_FRAME_BYTES,
  MAX_FRAME_BYTES,
  MAX_JSON_DEPTH,
  describeZodError,
  type ErrorFrame,
  type ResultData,
  type ServerFrame,
  type WireErrorCode,
} from '../../shared/protocol.js';
import { nestsWithin } from '../../shared/json-depth.js';
import type { Corkable } from '../push/batch.js';
import type { Drainable } from '../push/reader-pace.js';
import type { StoredEnvelope } from '../storage/queue-store.js';
import { BudgetUnavailable } from '../budgets.js';
import { RequestError, spendEphemeral, type Identity, type SessionContext, type SessionDeps } from './context.js';
import { blobKeep, blobToken } from './blob-requests.js';
import { Devices } from './devices.js';
import { Linking } from './linking.js';
import { Login } from './login.js';
import { Messages } from './messages.js';
import { PushTopics } from './push-topics.js';
import { QueuePump } from './queue-pump.js';

/** A connection that has not logged in by then is closed: idle anonymous sockets cost descriptors. */
export const LOGIN_DEADLINE_MS = 10_000;
/**
 * Bytes waiting for a client to read past which its typing and presence frames are dropped: a
 * client that stops reading (or an attacker's frames to it) must not grow the relay's memory.
 */
const EPHEMERAL_DROP_BYTES = 1024 * 1024;
/**
 * Bytes waiting for a client to read past which it is disconnected: what must not be dropped
 * (results, envelopes, pushes) is not buffered without end either. The queue pump waits well below.
 */
const CLOSE_BYTES = 8 * 1024 * 1024;
/**
 * Frames read but not yet handled past which the socket stops reading: a client that sends faster
 * than the relay handles its frames is slowed by TCP, not held in the relay's memory.
 */
const MAX_WAITING_FRAMES = 16;

export class Session implements SessionContext {
  private loggedIn: Identity | undefined;
  private socketClosed = false;
  /** Frames are handled one at a time, in arrival order. */
  private handling: Promise<void> = Promise.resolve();
  /** Frames read and waiting for their turn in `handling`. */
  private waiting = 0;
  private readonly login = new Login(this, (identity) => this.becomeReady(identity));
  private readonly messages = new Messages(this);
  private readonly devices = new Devices(this);
  private readonly linking = new Linking(this, this.login);
  private readonly pushTopics: PushTopics;
  private readonly queuePump = new QueuePump(this);
  /** Closes the connection unless it logs in by then; cleared at login, so that it holds nothing after. */
  private loginDeadline: NodeJS.Timeout | undefined;

  /**
   * output: the connection under the socket, held while a burst of frames is written to it.
   * origin: the host the client reached the relay at, which its login signature must name.
   */
  constructor(
    private readonly socket: WebSocket,
    readonly deps: SessionDeps,
    private readonly output: Corkable & Drainable,
    readonly address: string,
    readonly origin: string | undefined,
  ) {
    this.pushTopics = new PushTopics(this, output, (frame) => this.write(frame));
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('close', () => this.onClose());
    this.loginDeadline = setTimeout(() => {
      if (!this.identity && !this.linking.waiting) this.close(CloseCode.timedOut, 'log in within 10 seconds');
    }, LOGIN_DEADLINE_MS);
    socket.on('error', (err) => deps.log.debug({ err }, 'socket error'));
    this.sendFrame(this.login.challenge());
  }

  get identity(): Identity | undefined {
    return this.loggedIn;
  }

  get closed(): boolean {
    return this.socketClosed;
  }

  get device(): string {
    return this.identity?.device ?? '';
  }

  get username(): string {
    return this.identity?.username ?? '';
  }

  get buffered(): number {
    return this.socket.bufferedAmount;
  }

  sendFrame(frame: ServerFrame): void {
    this.write(JSON.stringify(frame), frame.type === 'ephemeral' || frame.type === 'presence');
  }

  deliver(envelopes: StoredEnvelope[]): void {
    this.queuePump.deliver(envelopes);
  }

  wake(): void {
    void this.queuePump.pump();
  }

  replace(): void {
    this.close(CloseCode.replaced, 'replaced by a newer connection of this device');
  }

  removed(): void {
    this.close(CloseCode.removed, 'this device was removed from its account');
  }

  close(code: CloseCode, reason: string): void {
    this.socket.close(code, reason);
  }

  requireIdentity(): Identity {
    if (!this.loggedIn) throw new RequestError('unauthenticated', 'log in first (register or auth)');
    return this.loggedIn;
  }

  private becomeReady(identity: Identity): void {
    this.clearLoginDeadline();
    this.loggedIn = identity;
    this.deps.log.debug({ username: identity.username }, 'device logged in');
    this.deps.registry.attach(this);
  }

  private clearLoginDeadline(): void {
    clearTimeout(this.loginDeadline);
    this.loginDeadline = undefined;
  }

  private onClose(): void {
    this.clearLoginDeadline();
    this.socketClosed = true;
    this.pushTopics.closed();
    this.linking.closed();
    if (!this.identity) return;
    this.deps.registry.detach(this);
    void this.deps.presence.disconnected(this);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
    if (isBinary) return this.sendError(null, 'bad_frame', 'frames are JSON text');
    if (size > MAX_FRAME_BYTES) {
      return this.sendError(null, 'frame_too_large', `a frame may be at most ${MAX_FRAME_BYTES} bytes`);
    }
    const text = data.toString();
    if (!nestsWithin(text, MAX_JSON_DEPTH)) {
      return this.sendError(null, 'bad_frame', `a frame may nest arrays and objects at most ${MAX_JSON_DEPTH} deep`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.sendError(null, 'bad_json', 'the frame is not valid JSON');
    }
    const parsed = ClientFrame.safeParse(json);
    if (!parsed.success) {
      // Answered under the frame's id only when that is one (the protocol's ids are 1 to 64 characters).
      const given = (json as { id?: unknown } | null)?.id;
      const id = typeof given === 'string' && given.length > 0 ? given.slice(0, 64) : null;
      return this.sendError(id, 'bad_frame', describeZodError(parsed.error));
    }
    const frame = parsed.data;
    if (frame.type !== 'send' && size > MAX_CONTROL_FRAME_BYTES) {
      return this.sendError(frame.id, 'frame_too_large', `a ${frame.type} frame may be at most ${MAX_CONTROL_FRAME_BYTES} bytes`);
    }
    if (++this.waiting >= MAX_WAITING_FRAMES) this.socket.pause();
    this.handling = this.handling.then(async () => {
      await this.handle(frame);
      if (--this.waiting < MAX_WAITING_FRAMES && this.socket.isPaused) this.socket.resume();
    });
  }

  private async handle(frame: ClientFrame): Promise<void> {
    try {
      const wasReady = this.identity !== undefined;
      const data = await this.route(frame);
      this.sendFrame({ type: 'result', id: frame.id, data });
      // The client sees its login result before the backlog starts.
      if (!wasReady && this.identity) void this.queuePump.pump();
    } catch (err) {
      if (err instanceof RequestError) {
        this.sendError(frame.id, err.code, err.message, err.extra);
      } else if (err instanceof BudgetUnavailable) {
        // No bug, and no wire code of its own before a protocol change: the client's outbox retries `internal`.
        this.sendError(frame.id, 'internal', err.message);
      } else {
        this.deps.log.error({ err, frame: frame.type }, 'request failed');
        this.sendError(frame.id, 'internal', 'the relay could not handle this request');
      }
    }
  }

  private route(frame: ClientFrame): Promise<ResultData[ClientFrame['type']]> {
    switch (frame.type) {
      case 'register':
        return this.login.register(frame);
      case 'auth':
        return this.login.auth(frame);
      case 'devices':
        return this.devices.list(frame);
      case 'send':
        return this.messages.send(frame);
      case 'ack':
        return this.messages.ack(frame);
      case 'ping':
        return Promise.resolve({ serverTime: this.deps.now() });
      case 'presence':
        return this.setPresence(frame.state, frame.hidden);
      case 'presence-withdraw':
        return this.withdrawPresence(frame.usernames);
      case 'link-request':
        return this.linking.request(frame);
      case 'link-lookup':
        return this.linking.lookup(frame);
      case 'link-approve':
        return this.linking.approve(frame);
      case 'prekeys':
        return this.devices.preKeys(frame);
      case 'bundles':
        return this.devices.bundles(frame);
      case 'device-remove':
        return this.devices.remove(frame);
      case 'push-subscribe':
        return this.pushTopics.subscribe(frame);
      case 'push-unsubscribe':
        return this.pushTopics.unsubscribe(frame);
      case 'blob-token':
        return blobToken(this, frame);
      case 'blob-keep':
        return blobKeep(this, frame);
    }
  }

  private async withdrawPresence(usernames: string[]): Promise<ResultData['presence-withdraw']> {
    await spendEphemeral(this);
    const me = this.requireIdentity();
    // Only those who saw it are told: anyone else hears nothing of this account.
    const saw = await this.deps.stores.presence.removeContacts(me.username, usernames);
    await this.deps.presence.withdrawn(me.username, saw);
    return {};
  }

  private async setPresence(state: 'online' | 'away', hidden: boolean): Promise<ResultData['presence']> {
    await spendEphemeral(this);
    await this.deps.presence.changed(this, state, hidden);
    return {};
  }

  /**
   * Sends, except what is never queued anyway (typing, presence) to a client that has stopped
   * reading: past EPHEMERAL_DROP_BYTES waiting for it, those are dropped rather than buffered.
   */
  private write(text: string | Buffer, ephemeral = false): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    const buffered = this.socket.bufferedAmount;
    if (ephemeral && buffered > EPHEMERAL_DROP_BYTES) return;
    if (buffered > CLOSE_BYTES) {
      this.deps.log.info({ buffered, username: this.username }, 'disconnected a client that does not read what it is sent');
      this.socket.terminate();
      return;
    }
    this.deps.corks.hold(this.output);
    this.socket.send(text, { binary: false });
  }

  private sendError(id: string | null, code: WireErrorCode, message: string, extra: Pick<ErrorFrame, 'accounts' | 'params'> = {}): void {
    this.sendFrame({ type: 'error', id, code, message, ...extra });
  }
}
