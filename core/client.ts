// The headless Warbler client: one profile's device, its relay session and its local history.
// Used by the Electron main process, the web host, the CLI, bots and tests alike. This class owns
// the lifecycle and the events; each concern is a part in client/, built here. Of the other parts
// and the relay connection a part is given only the methods it calls; of the stores (history,
// sessions, identities, ledger, directory, pushes) it is often given the whole store.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { safeLoggerOptions } from './log-redact.js';
import { logLevelOr } from '../shared/log-level.js';
import { DeviceBox } from '../shared/crypto.js';
import { Username } from '../shared/protocol.js';
import type { AttachmentView, StagedAttachment, StageOptions } from '../shared/attachment.js';
import type { ChatMessage, ConnectionState, Conversation, DeviceInfo, Presence, PushItem, PushSubscription, SafetyInfo, UnreadCounts } from '../shared/ipc.js';
import { PushStore } from './push-store.js';
import { AttachmentStore } from './attachments/attachment-store.js';
import { History } from './history.js';
import { HISTORY_FILE, type Profile } from './profile.js';
import type { HistoryKey } from './vault/history-key.js';
import { PreKeyStore } from './e2e/prekeys.js';
import { SessionStore } from './e2e/sessions.js';
import { IdentityStore } from './e2e/identities.js';
import { Directory } from './e2e/directory.js';
import { Ledger } from './e2e/ledger.js';
import { RelayConnection, type ConnectionTiming } from './relay/connection.js';
import { RelayKeyPin } from './client/relay-key-pin.js';
import { RelayError } from './relay/error.js';
import { createAccount, openProfile, requestDeviceLink } from './client/account.js';
import { Attachments } from './client/attachments.js';
import type { OpenedAttachment } from './client/attachment-downloads.js';
import { Conversations } from './client/conversations.js';
import { Delivery } from './client/delivery.js';
import { Devices } from './client/devices.js';
import type { ClientEvents, Emit } from './client/events.js';
import { GroupAdmin } from './client/group-admin.js';
import { Inbox } from './client/inbox.js';
import type { ClientOptions, LinkInProgress } from './client/options.js';
import { Outbox } from './client/outbox.js';
import { Payloads } from './client/payloads.js';
import { PreKeyUpkeep } from './client/prekey-upkeep.js';
import { Presences } from './client/presence.js';
import { PrintedCursor, type PrintedPage } from './client/printed-cursor.js';
import { PushSubscriptions, type SubscriptionChange } from './client/push-subscriptions.js';
import { Receiver } from './client/receiver.js';
import { Resends } from './client/resends.js';
import { Safety } from './client/safety.js';
import { Sender } from './client/sender.js';
import { Typing } from './client/typing.js';

export { LINK_CODE_DIGITS } from './client/account.js';
export type { ClientEvents } from './client/events.js';
export type { ClientOptions, LinkInProgress } from './client/options.js';
export type { PrintedPage } from './client/printed-cursor.js';

export class WarblerClient extends EventEmitter<ClientEvents> {
  private readonly connection: RelayConnection;
  /** The relay's key this device trusts (its fingerprint, to compare with the operator's). */
  readonly relayKey: RelayKeyPin;
  private readonly history: History;
  private readonly pushes: PushStore;
  private readonly directory: Directory;
  private readonly conversationView: Conversations;
  private readonly outbox: Outbox;
  private readonly inbox: Inbox;
  private readonly sender: Sender;
  private readonly typing: Typing;
  private readonly presences: Presences;
  private readonly groupAdmin: GroupAdmin;
  private readonly accountDevices: Devices;
  private readonly contactSafety: Safety;
  private readonly pushTopics: PushSubscriptions;
  private readonly preKeyUpkeep: PreKeyUpkeep;
  private readonly printed: PrintedCursor;
  private readonly files: Attachments;
  private closed = false;

  private constructor(
    private readonly profile: Profile,
    readonly profileDir: string,
    readonly serverUrl: string,
    log: Logger,
    key: HistoryKey,
    timing?: ConnectionTiming,
  ) {
    super();
    const me = profile.username;
    const deviceKey = profile.identity.publicKey;
    const emit: Emit = this.emit.bind(this);
    const history = (this.history = new History(path.join(profileDir, HISTORY_FILE), key));
    const box = new DeviceBox(profile.identity.secretKey);
    const db = history.database;
    const preKeys = new PreKeyStore(db, profile.identity);
    const sessions = new SessionStore(db, profile.identity, preKeys);
    const identities = new IdentityStore(db);
    const ledger = new Ledger(db);
    this.pushes = new PushStore(db);
    ledger.prune(Date.now());
    const relayKey = (this.relayKey = new RelayKeyPin(history, log));
    const relay = (this.connection = new RelayConnection(serverUrl, profile.identity, () => this.presenceHidden, timing, (key) => relayKey.check(key)));
    const directory = (this.directory = new Directory({
      me: { username: me, accountKey: profile.account.publicKey },
      identities,
      fetch: async (username) => relay.request({ type: 'devices', username }),
      changed: (username) => this.contactSafety.identityChanged(username),
      log,
      now: Date.now,
    }));
    const conversations = (this.conversationView = new Conversations(history, me, emit));
    const announce = (message: ChatMessage) => conversations.announce(message);
    const delivery = new Delivery({ me, deviceKey, history, sessions, identities, directory, box, relay, log });
    const outbox = (this.outbox = new Outbox({ me, history, ledger, delivery, relay, announce, log }));
    const resends = new Resends({ history, ledger, outbox, log });
    const attachments = new AttachmentStore(db);
    history.decorateMessages((messages) => attachments.decorate(messages));
    this.files = new Attachments({ me, profileDir, serverUrl, history, store: attachments, conversations, outbox, relay, emit, log });
    const presences = (this.presences = new Presences({ me, history, relay, emit, log }));
    const payloads = new Payloads({ me, history, conversations, resends, attachments, partedFrom: (people) => presences.partedFrom(people) });
    const receiver = new Receiver({ me, history, ledger, sessions, directory, resends, payloads, log });
    this.inbox = new Inbox({ history, directory, receiver, relay, conversations, flushOutbox: () => outbox.flushSoon(), emit, log });
    this.sender = new Sender({ me, history, conversations, outbox, relay });
    this.typing = new Typing({ me, history, conversations, delivery, directory, box, relay, emit, log });
    this.groupAdmin = new GroupAdmin({ me, history, directory, conversations, outbox, emit, partedFrom: (people) => presences.partedFrom(people) });
    this.accountDevices = new Devices({ me, deviceKey, account: profile.account, history, sessions, directory, relay, outbox });
    this.contactSafety = new Safety({ me: { username: me, accountKey: profile.account.publicKey }, history, identities, directory, conversations, emit });
    this.pushTopics = new PushSubscriptions({ pushes: this.pushes, relayKey, relay, emit, log });
    this.preKeyUpkeep = new PreKeyUpkeep({ preKeys, relay, log });
    this.printed = new PrintedCursor({ history });
    this.listen(log);
  }

  /** What the relay says and how the connection goes, to the part each concerns. */
  private listen(log: Logger): void {
    const relay = this.connection;
    relay.on('push', (frame) => this.pushTopics.receive(frame));
    relay.on('preKeys', (remaining) => this.preKeyUpkeep.remaining(remaining));
    relay.on('state', (state) => {
      this.emit('state', state);
      if (state === 'online') {
        this.preKeyUpkeep.check();
        this.pushTopics.online();
        this.outbox.flush().catch((err: unknown) => log.error({ err }, 'outbox failed'));
        this.presences.online();
        this.files.online();
      } else {
        this.inbox.reset();
      }
    });
    relay.on('fatal', (err) => this.emit('fatal', err));
    relay.on('expired', (count) => this.emit('expired', count));
    relay.on('refused', (count) => this.emit('refused', count));
    relay.on('envelope', (frame) => this.inbox.add(frame));
    relay.on('ephemeral', (frame) => this.typing.receive(frame));
    relay.on('presence', (frame) => this.presences.receive(frame));
    relay.on('drained', () => this.inbox.drained());
  }

  /** Opens the profile in `dir`; throws when there is none. */
  static async open(dir: string, options: ClientOptions = {}): Promise<WarblerClient> {
    const { profile, key } = await openProfile(dir, options.keys);
    return new WarblerClient(profile, dir, options.serverUrl ?? profile.serverUrl, options.logger ?? defaultLogger(), key, options.timing);
  }

  /** Creates the account and device keys and the first prekeys, registers on the relay, then writes the profile. */
  static async register(dir: string, serverUrl: string, username: string, options: ClientOptions = {}): Promise<WarblerClient> {
    const key = await createAccount(dir, serverUrl, username, options.keys);
    return WarblerClient.open(dir, { ...options, keys: key });
  }

  /**
   * Makes this folder a new device of an existing account: returns the code to enter on a device
   * that has the account; the profile is written once that device approves.
   */
  static async link(dir: string, serverUrl: string, options: ClientOptions = {}): Promise<LinkInProgress> {
    const { written, ...pending } = await requestDeviceLink(dir, serverUrl, options.keys);
    return { ...pending, done: written.then((key) => WarblerClient.open(dir, { ...options, keys: key })) };
  }

  get username(): string {
    return this.profile.username;
  }

  get deviceKey(): string {
    return this.profile.identity.publicKey;
  }

  get presenceHidden(): boolean {
    return this.presences.hidden;
  }

  // ---- connection -------------------------------------------------------------------------

  get connectionState(): ConnectionState {
    return this.connection.state;
  }

  /** Why the connection stopped for good, if it did (start() tries again). */
  get lastConnectionError(): RelayError | undefined {
    return this.connection.lastError;
  }

  /** Connects (again, after a fatal stop). */
  start(): void {
    this.connection.start();
  }

  /** After relay_key_changed, the person trusts the key whose fingerprint they saw: connects again. */
  trustRelayKey(fingerprint: string): void {
    this.relayKey.trust(fingerprint);
    this.connection.start();
  }

  /** Resolves when online; rejects after timeoutMs, or at the first failed attempt with failFast. */
  waitOnline(timeoutMs: number, opts: { failFast?: boolean } = {}): Promise<void> {
    return this.connection.waitOnline(timeoutMs, opts);
  }

  /** Drops the current connection and connects at once (e.g. the OS reports the network is back). */
  reconnectNow(): void {
    this.connection.reconnectNow();
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const files = this.files.close();
    const sent = this.outbox.close();
    this.preKeyUpkeep.close();
    const stored = this.inbox.close();
    this.connection.stop();
    await Promise.all([files, sent, stored]);
    this.history.close();
  }

  // ---- conversations and messages ---------------------------------------------------------

  conversations(): Conversation[] {
    return this.history.conversations();
  }

  conversation(id: string): Conversation | undefined {
    return this.history.conversation(id);
  }

  /** The newest `limit` messages of a conversation, or those just before the message `before`; oldest first. */
  messages(conversationId: string, limit: number, before?: string): ChatMessage[] {
    return this.history.messages(conversationId, limit, before);
  }

  message(id: string): ChatMessage | undefined {
    return this.history.message(id);
  }

  /** Nothing waits to go to the relay: every message, receipt and request written here was sent or refused. */
  outboxEmpty(): boolean {
    return this.outbox.isEmpty();
  }

  /** Checks with the relay that a user exists, then makes (or returns) the conversation. */
  async openConversation(username: string): Promise<Conversation> {
    const peer = Username.parse(username);
    await this.directory.devices(peer, true);
    return this.conversationView.direct(peer);
  }

  /** Resolves once the relay stored the message; `queue: false` throws instead of waiting. With `attachments`: client/attachments.ts. */
  send(conversationId: string, text: string, opts: { queue: boolean; attachments?: string[] } = { queue: true }): Promise<ChatMessage> {
    const { attachments, ...rest } = opts;
    return attachments?.length ? this.files.send(conversationId, text, attachments, rest) : this.sender.send(conversationId, text, rest);
  }

  /** Marks a conversation read here, tells the sender (direct chats) and this account's other devices. */
  markRead(conversationId: string): void {
    this.sender.markRead(conversationId);
  }

  /** Received messages the CLI has not printed yet (client/printed-cursor.ts); undefined when there are none. */
  unprinted(limit: number): PrintedPage | undefined {
    return this.printed.next(limit);
  }

  /** Once a page's lines are written out: a crash before this prints them again rather than losing them. */
  markPrinted(through: number): void {
    this.printed.advance(through);
  }

  unreadCounts(): UnreadCounts {
    return { chat: this.history.unreadCount(), push: this.pushes.unreadCount() };
  }

  // ---- attachments: each is documented where it is done, in client/attachments.ts ------------

  stageAttachment(source: AsyncIterable<Uint8Array>, options: StageOptions): Promise<StagedAttachment> { return this.files.stage(source, options); }
  discardStaged(stagedId: string): Promise<void> { return this.files.discard(stagedId); }
  /** The largest file (its ciphertext, in bytes) the relay takes. */
  get attachmentMaxBytes(): number { return this.files.maxBytes(); }
  attachment(id: string): AttachmentView | undefined { return this.files.attachment(id); }
  downloadAttachment(id: string): Promise<AttachmentView> { return this.files.download(id); }
  cancelTransfer(id: string): Promise<AttachmentView> { return this.files.cancel(id); }
  retryTransfer(id: string): Promise<AttachmentView> { return this.files.retry(id); }
  async openAttachment(id: string, range?: { start: number; end?: number }): Promise<OpenedAttachment> { return this.files.open(id, range); }
  saveAttachment(id: string, outPath: string): Promise<void> { return this.files.save(id, outPath); }

  // ---- groups -----------------------------------------------------------------------------

  createGroup(name: string, members: string[]): Promise<Conversation> {
    return this.groupAdmin.create(name, members);
  }

  addMembers(groupId: string, members: string[]): Promise<Conversation> {
    return this.groupAdmin.add(groupId, members);
  }

  removeMember(groupId: string, member: string): Promise<Conversation> {
    return this.groupAdmin.remove(groupId, member);
  }

  leaveGroup(groupId: string): Promise<Conversation> {
    return this.groupAdmin.leave(groupId);
  }

  // ---- typing and presence ----------------------------------------------------------------

  /** Tells the conversation's people who are online now; never queued, never retried. */
  setTyping(conversationId: string, typing: boolean): Promise<void> {
    return this.typing.send(conversationId, typing);
  }

  setPresence(update: { state?: 'online' | 'away'; hidden?: boolean }): void {
    this.presences.set(update);
  }

  presenceList(): Presence[] {
    return this.presences.list();
  }

  // ---- devices and trust ------------------------------------------------------------------

  /** Approves the new device showing this code, and (unless told not to) sends it this account's conversations. */
  approveDevice(code: string, opts: { share: boolean } = { share: true }): Promise<string> {
    return this.accountDevices.approve(code, opts);
  }

  devices(): Promise<DeviceInfo[]> {
    return this.accountDevices.list();
  }

  removeDevice(deviceKey: string): Promise<void> {
    return this.accountDevices.remove(deviceKey);
  }

  shareConversations(): Promise<void> {
    return this.accountDevices.shareConversations();
  }

  safety(username: string): Promise<SafetyInfo> {
    return this.contactSafety.get(username);
  }

  /** `compared`: the number the person looked at; verifying fails when the key changed since. */
  setVerified(username: string, verified: boolean, compared?: string): Promise<SafetyInfo> {
    return this.contactSafety.setVerified(username, verified, compared);
  }

  // ---- push -------------------------------------------------------------------------------

  subscribePush(topic: string): PushSubscription {
    return this.pushTopics.subscribe(topic);
  }

  unsubscribePush(topic: string): void {
    this.pushTopics.unsubscribe(topic);
  }

  /** Undefined when not subscribed to the topic. */
  changePushSubscription(topic: string, change: SubscriptionChange): PushSubscription | undefined {
    return this.pushTopics.change(topic, change);
  }

  pushSubscriptions(): PushSubscription[] {
    return this.pushes.subscriptions();
  }

  pushSubscription(topic: string): PushSubscription | undefined {
    return this.pushes.subscription(topic);
  }

  /** The newest pushes first, of one topic or of all. */
  pushList(topic: string | undefined, limit: number): PushItem[] {
    return this.pushes.list(topic, limit);
  }

  /** One push, by id; undefined when it is not (or no longer) kept. */
  pushItem(id: string): PushItem | undefined {
    return this.pushes.item(id);
  }

  /** The ids of every push kept. */
  pushIds(): Set<string> {
    return this.pushes.ids();
  }

  /** The pushes that changed. */
  markPushesRead(which: { ids: string[] } | { topic: string } | { all: true }): PushItem[] {
    return this.pushes.markRead(which);
  }

  /** The ids deleted. */
  deletePushes(ids: string[]): string[] {
    return this.pushes.remove(ids);
  }

  /** The ids deleted. */
  clearPushTopic(topic: string): string[] {
    return this.pushes.clearTopic(topic);
  }
}

function defaultLogger(): Logger {
  // The CLI's and bots' stderr takes the same care as the app's log file: no text, keys or tokens.
  // A level pino does not know would make it throw, and with it every open: warnings only, then.
  const level = logLevelOr(process.env.WARBLER_LOG_LEVEL, 'warn');
  return pino({ level, name: 'warbler', ...safeLoggerOptions() }, pino.destination(2));
}
