// The headless Warbler client: one profile's device, its relay session and its local history.
// Used by the Electron main process, the web host, the CLI, bots and tests alike.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { DeviceBox, generateIdentity, loadSodium } from '../../shared/crypto.js';
import { ChatPayload, MAX_FRAME_BYTES, MessageText, Username, type EnvelopeFrame, type SealedEnvelope } from '../../shared/protocol.js';
import type { ChatMessage, ConnectionState, Conversation } from '../../shared/ipc.js';
import { newId } from '../../shared/ids.js';
import { RelayConnection, RelayError, registerAccount } from './connection.js';
import { History } from './history.js';
import { HISTORY_FILE, readProfile, writeProfile, type Profile } from './profile.js';

/** Received envelopes are stored and acked in batches of up to this many. */
const BATCH = 256;

export interface ClientEvents {
  state: [ConnectionState];
  /** A message was added or its state changed. */
  message: [ChatMessage];
  conversation: [Conversation];
  /** A message newly stored from the relay (from a contact, or sent by this account's other device). */
  received: [ChatMessage];
  /** This many messages expired on the relay before this device came back online. */
  expired: [number];
  /** The backlog queued while this device was offline has been stored and acked. */
  drained: [];
  /** A login failure that will not fix itself (the relay does not know this device). */
  fatal: [RelayError];
}

export interface ClientOptions {
  /** Overrides the server URL stored in the profile. */
  serverUrl?: string;
  logger?: Logger;
}

export class WarblerClient extends EventEmitter<ClientEvents> {
  readonly connection: RelayConnection;
  readonly history: History;
  private readonly log: Logger;
  private readonly devicesCache = new Map<string, string[]>();
  private readonly box: DeviceBox;
  private inbox: EnvelopeFrame[] = [];
  private processing = false;
  private drainPending = false;
  private flushing: Promise<void> | undefined;
  private inboxRun: Promise<void> | undefined;
  private closed = false;
  /** Why a message is still (or finally) unsent, for the caller of send(). */
  private readonly sendErrors = new Map<string, Error>();

  private constructor(
    readonly profile: Profile,
    readonly profileDir: string,
    readonly serverUrl: string,
    log: Logger,
  ) {
    super();
    this.log = log;
    this.history = new History(path.join(profileDir, HISTORY_FILE));
    this.box = new DeviceBox(profile.identity.secretKey);
    this.connection = new RelayConnection(serverUrl, profile.identity);
    this.connection.on('state', (state) => {
      this.emit('state', state);
      if (state === 'online') this.flushOutbox().catch((err: unknown) => this.log.error({ err }, 'outbox failed'));
      // Anything not stored before the link dropped will be resent by the relay: start clean.
      if (state !== 'online') {
        this.inbox = [];
        this.drainPending = false;
      }
    });
    this.connection.on('fatal', (err) => this.emit('fatal', err));
    this.connection.on('expired', (count) => this.emit('expired', count));
    this.connection.on('envelope', (frame) => this.enqueue(frame));
    this.connection.on('drained', () => {
      this.drainPending = true;
      this.kick();
    });
  }

  /** Opens the profile in `dir`; throws when there is none. */
  static async open(dir: string, options: ClientOptions = {}): Promise<WarblerClient> {
    await loadSodium();
    const profile = readProfile(dir);
    if (!profile) throw new Error(`no Warbler profile in ${dir} (register first)`);
    return new WarblerClient(profile, dir, options.serverUrl ?? profile.serverUrl, options.logger ?? defaultLogger());
  }

  /** Creates a device key, registers the account on the relay, then writes the profile. */
  static async register(dir: string, serverUrl: string, username: string, options: ClientOptions = {}): Promise<WarblerClient> {
    await loadSodium();
    if (readProfile(dir)) throw new Error(`${dir} already holds a Warbler profile`);
    const name = Username.parse(username);
    const identity = generateIdentity();
    await registerAccount(serverUrl, name, identity);
    writeProfile(dir, { serverUrl, username: name, identity });
    return WarblerClient.open(dir, options);
  }

  get username(): string {
    return this.profile.username;
  }

  get deviceKey(): string {
    return this.profile.identity.publicKey;
  }

  /** Connects (again, after a fatal stop). */
  start(): void {
    this.connection.start();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.connection.stop();
    await this.flushing;
    await this.inboxRun;
    this.history.close();
  }

  /** Checks with the relay that a user exists, then makes (or returns) the conversation. */
  async openConversation(username: string): Promise<Conversation> {
    const peer = Username.parse(username);
    await this.devicesOf(peer, true);
    this.history.ensureConversation(peer, Date.now());
    const conversation = this.history.conversation(peer);
    if (!conversation) throw new Error(`conversation ${peer} vanished`);
    this.emit('conversation', conversation);
    return conversation;
  }

  /**
   * Writes the message to the durable outbox, then lets the one outbox sender deliver it, after
   * anything written earlier (so order holds across reconnects). With `queue: false` a message that
   * cannot go out now is marked failed and the reason thrown, instead of waiting for the next connection.
   */
  async send(to: string, text: string, opts: { queue: boolean } = { queue: true }): Promise<ChatMessage> {
    const peer = Username.parse(to);
    const message: ChatMessage = {
      id: newId(),
      conversationId: peer,
      sender: this.username,
      outgoing: true,
      text: MessageText.parse(text),
      sentAt: Date.now(),
      serverTime: null,
      state: 'sending',
    };
    this.history.addMessage(message, { read: true });
    this.announce(message);
    if (this.connection.state === 'online') await this.flushOutbox();
    const now = this.history.message(message.id) ?? message;
    const failure = this.sendErrors.get(message.id);
    this.sendErrors.delete(message.id);
    if (now.state === 'failed') throw failure ?? new RelayError('failed', 'the message could not be sent');
    if (now.state === 'sending' && !opts.queue) {
      const failed = this.history.markFailed(message.id);
      if (failed) this.announce(failed);
      throw failure ?? this.connection.lastError ?? new RelayError('offline', 'not connected to the relay');
    }
    return now;
  }

  markRead(conversationId: string): void {
    if (this.history.markRead(conversationId) > 0) {
      const conversation = this.history.conversation(conversationId);
      if (conversation) this.emit('conversation', conversation);
    }
  }

  /** Resolves once the backlog present at login has been stored and acked. */
  waitDrained(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('drained', done);
        reject(new RelayError('timeout', 'the relay did not finish sending the queue in time'));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.once('drained', done);
    });
  }

  private announce(message: ChatMessage): void {
    this.emit('message', message);
    const conversation = this.history.conversation(message.conversationId);
    if (conversation) this.emit('conversation', conversation);
  }

  private async devicesOf(username: string, fresh = false): Promise<string[]> {
    const cached = this.devicesCache.get(username);
    if (cached && !fresh) return cached;
    const { devices } = await this.connection.request({ type: 'devices', username });
    this.devicesCache.set(username, devices);
    return devices;
  }

  private async deliver(message: ChatMessage): Promise<ChatMessage> {
    const payload = JSON.stringify({
      v: 1,
      kind: 'text',
      messageId: message.id,
      from: this.username,
      to: message.conversationId,
      text: message.text,
      sentAt: message.sentAt,
    } satisfies ChatPayload);
    for (let attempt = 0; ; attempt++) {
      const targets = new Set([
        ...(await this.devicesOf(message.conversationId)),
        ...(await this.devicesOf(this.username)),
      ]);
      targets.delete(this.deviceKey);
      const envelopes: SealedEnvelope[] = [...targets].map((device) => ({
        device,
        ...this.box.seal(payload, device),
      }));
      // One sealed copy per device: a long text to many devices can outgrow a frame. Say so, don't retry.
      if (JSON.stringify(envelopes).length + 1024 > MAX_FRAME_BYTES) {
        throw new RelayError('too_large', `the message is too long to send to ${envelopes.length} devices`);
      }
      try {
        const result = await this.connection.request({ type: 'send', messageId: message.id, to: message.conversationId, envelopes });
        const sent = this.history.markSent(message.id, result.serverTime);
        if (sent) this.announce(sent);
        return sent ?? message;
      } catch (err) {
        const devices = err instanceof RelayError && err.code === 'device_mismatch' ? err.frame?.devices : undefined;
        if (!devices || attempt >= 2) throw err;
        this.devicesCache.set(message.conversationId, devices.recipient);
        this.devicesCache.set(this.username, [...devices.own, this.deviceKey]);
      }
    }
  }

  /** The only path that sends: oldest first, one at a time, until the outbox is empty or the link drops. */
  private flushOutbox(): Promise<void> {
    this.flushing ??= this.sendOutbox().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async sendOutbox(): Promise<void> {
    for (;;) {
      const message = this.history.oldestOutgoing();
      if (!message || this.connection.state !== 'online') return;
      try {
        await this.deliver(message);
      } catch (err) {
        if (isRetryable(err)) {
          this.sendErrors.set(message.id, err as Error);
          return;
        }
        this.log.info({ err, messageId: message.id }, 'message could not be sent');
        this.sendErrors.set(message.id, err as Error);
        const failed = this.history.markFailed(message.id);
        if (failed) this.announce(failed);
      }
    }
  }

  private enqueue(frame: EnvelopeFrame): void {
    this.inbox.push(frame);
    this.kick();
  }

  private kick(): void {
    if (this.processing || this.closed) return;
    this.processing = true;
    this.inboxRun = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.processInbox());
  }

  /** Stores a batch of envelopes in one transaction, then acks them; only then are they gone from the relay. */
  private async processInbox(): Promise<void> {
    try {
      while (this.inbox.length > 0) {
        const batch = this.inbox.splice(0, BATCH);
        const changed: { message: ChatMessage; isNew: boolean }[] = [];
        this.history.batch(() => {
          for (const frame of batch) {
            const message = this.receive(frame);
            if (message) changed.push({ message, isNew: frame.kind === 'message' });
          }
        });
        // Stored: show it now; the ack only lets the relay delete its copy.
        for (const { message, isNew } of changed) {
          if (isNew) this.emit('received', message);
          this.announce(message);
        }
        try {
          await this.connection.request({ type: 'ack', seqs: batch.map((f) => f.seq) });
        } catch (err) {
          // The relay resends unacked envelopes on the next connection; the history ignores repeats.
          this.log.debug({ err }, 'ack not delivered');
        }
      }
      if (this.drainPending) {
        this.drainPending = false;
        this.emit('drained');
      }
    } catch (err) {
      // Not stored (disk full, database locked…): nothing was acked, so the relay still has it all.
      // Drop the link; the next connection gets the same envelopes again.
      this.log.error({ err }, 'could not store received messages; reconnecting');
      this.inbox = [];
      this.drainPending = false;
      this.connection.reconnectNow();
    } finally {
      this.processing = false;
      if (this.inbox.length > 0 || this.drainPending) this.kick();
    }
  }

  /** Returns the message that changed, if any. Runs inside a history transaction. */
  private receive(frame: EnvelopeFrame): ChatMessage | undefined {
    if (frame.kind === 'delivered') {
      // Only a receipt from the conversation's other party counts, and only for our own message.
      const mine = this.history.message(frame.messageId);
      if (!mine?.outgoing || mine.conversationId !== frame.from.username) return undefined;
      return this.history.advance(frame.messageId, 'delivered');
    }
    const plain = this.box.open(frame, frame.from.device);
    if (plain === null) {
      this.log.warn({ seq: frame.seq, from: frame.from.username }, 'dropping an envelope that does not authenticate');
      return undefined;
    }
    let payload: ChatPayload;
    try {
      payload = ChatPayload.parse(JSON.parse(plain));
    } catch {
      this.log.warn({ seq: frame.seq }, 'dropping an envelope with an unreadable payload');
      return undefined;
    }
    const own = frame.from.username === this.username;
    if (payload.messageId !== frame.messageId || payload.from !== frame.from.username || (!own && payload.to !== this.username)) {
      this.log.warn({ seq: frame.seq }, 'dropping an envelope whose payload does not match its routing');
      return undefined;
    }
    const message: ChatMessage = {
      id: payload.messageId,
      conversationId: own ? payload.to : payload.from,
      sender: payload.from,
      outgoing: own,
      text: payload.text,
      sentAt: payload.sentAt,
      serverTime: frame.serverTime,
      state: own ? 'sent' : 'delivered',
    };
    return this.history.addMessage(message, { read: own }) ? message : undefined;
  }
}

function isRetryable(err: unknown): boolean {
  return err instanceof RelayError && (err.code === 'offline' || err.code === 'timeout');
}

function defaultLogger(): Logger {
  return pino({ level: process.env.WARBLER_LOG_LEVEL ?? 'warn', name: 'warbler' }, pino.destination(2));
}
