// The headless Warbler client: one profile's device, its relay session and its local history.
// Used by the Electron main process, the web host, the CLI, bots and tests alike. This class owns
// the lifecycle and the events; each concern is a part in client/, built by client/parts.ts. Of
// the other parts and the relay connection a part is given only the methods it calls; of the
// stores (history, sessions, identities, ledger, directory, pushes) often the whole store.
import { EventEmitter } from 'node:events';
import pino, { type Logger } from 'pino';
import { safeLoggerOptions } from './log-redact.js';
import { logLevelOr } from '../shared/log-level.js';
import { Username } from '../shared/protocol.js';
import type { AttachmentView, StagedAttachment, StageOptions } from '../shared/attachment.js';
import type { ChatMessage, ConnectionState, Conversation, DeviceInfo, MessageVersion, Presence, PushItem, PushSubscription, SafetyInfo, SearchHit, UnreadCounts } from '../shared/ipc.js';
import type { Profile } from './profile.js';
import type { HistoryKey } from './vault/history-key.js';
import type { ConnectionTiming } from './relay/connection.js';
import type { RelayKeyPin } from './client/relay-key-pin.js';
import { RelayError } from './relay/error.js';
import { createAccount, openProfile, requestDeviceLink } from './client/account.js';
import type { OpenedAttachment } from './client/attachment-downloads.js';
import type { ClientEvents } from './client/events.js';
import type { ClientOptions, LinkInProgress } from './client/options.js';
import type { SearchOptions } from './search/message-search.js';
import { buildParts, type ClientParts } from './client/parts.js';
import type { PrintedPage } from './client/printed-cursor.js';
import type { Sending } from './client/message-actions.js';
import type { ConversationState } from '../shared/payload.js';
import type { SubscriptionChange } from './client/push-subscriptions.js';
import type { People } from './client/people.js';
import type { TypingNow } from './client/typing.js';

export { LINK_CODE_DIGITS } from './client/account.js';
export type { ClientEvents } from './client/events.js';
export type { ClientOptions, LinkInProgress } from './client/options.js';
export type { PrintedPage } from './client/printed-cursor.js';

export class WarblerClient extends EventEmitter<ClientEvents> {
  private readonly parts: ClientParts;
  /** The relay's key this device trusts (its fingerprint, to compare with the operator's). */
  readonly relayKey: RelayKeyPin;
  /** Blocking people, and message requests: documented in client/people.ts. */
  readonly people: People;
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
    this.parts = buildParts({ profile, profileDir, serverUrl, key, log, emit: this.emit.bind(this), timing });
    this.relayKey = this.parts.relayKey;
    this.people = this.parts.people;
    this.listen(log);
    this.parts.disappearing.start();
  }

  /** What the relay says and how the connection goes, to the part each concerns. */
  private listen(log: Logger): void {
    const { connection: relay, pushTopics, preKeyUpkeep, outbox, presences, files, inbox, typing } = this.parts;
    relay.on('push', (frame) => pushTopics.receive(frame));
    relay.on('preKeys', (remaining) => preKeyUpkeep.remaining(remaining));
    relay.on('state', (state) => {
      this.emit('state', state);
      if (state === 'online') {
        preKeyUpkeep.check();
        pushTopics.online();
        outbox
          .flush()
          .catch((err: unknown) => log.error({ err }, 'outbox failed'))
          .finally(() => presences.withdraw());
        presences.online();
        files.online();
      } else {
        inbox.reset();
      }
    });
    relay.on('fatal', (err) => this.emit('fatal', err));
    relay.on('expired', (count) => this.emit('expired', count));
    relay.on('refused', (count) => this.emit('refused', count));
    relay.on('envelope', (frame) => inbox.add(frame));
    relay.on('ephemeral', (frame) => typing.receive(frame));
    this.on('received', (message) => typing.done(message.conversationId, message.sender));
    relay.on('presence', (frame) => presences.receive(frame));
    relay.on('drained', () => inbox.drained());
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
    return this.parts.presences.hidden;
  }

  get presenceAway(): boolean {
    return this.parts.presences.awayByChoice;
  }

  // ---- connection -------------------------------------------------------------------------

  get connectionState(): ConnectionState {
    return this.parts.connection.state;
  }

  /** Why the connection stopped for good, if it did (start() tries again). */
  get lastConnectionError(): RelayError | undefined {
    return this.parts.connection.lastError;
  }

  /** Connects (again, after a fatal stop). */
  start(): void {
    this.parts.connection.start();
    this.parts.remoteTopics.start();
  }

  /** After relay_key_changed, the person trusts the key whose fingerprint they saw: connects again. */
  trustRelayKey(fingerprint: string): void {
    this.relayKey.trust(fingerprint);
    this.parts.connection.start();
  }

  /** Resolves when online; rejects after timeoutMs, or at the first failed attempt with failFast. */
  waitOnline(timeoutMs: number, opts: { failFast?: boolean } = {}): Promise<void> {
    return this.parts.connection.waitOnline(timeoutMs, opts);
  }

  /** Drops the current connection and connects at once (e.g. the OS reports the network is back). */
  reconnectNow(): void {
    this.parts.connection.reconnectNow();
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
    const files = this.parts.files.close();
    const sent = this.parts.outbox.close();
    this.parts.preKeyUpkeep.close();
    this.parts.remoteTopics.close();
    this.parts.disappearing.close();
    this.parts.presences.close();
    const stored = this.parts.inbox.close();
    this.parts.connection.stop();
    await Promise.all([files, sent, stored]);
    this.parts.history.close();
  }

  // ---- conversations and messages ---------------------------------------------------------

  conversations(): Conversation[] {
    return this.parts.history.conversations();
  }

  conversation(id: string): Conversation | undefined {
    return this.parts.history.conversation(id);
  }

  /** The newest `limit` messages of a conversation, or those just before the message `before`; oldest first. */
  messages(conversationId: string, limit: number, before?: string): ChatMessage[] {
    return this.parts.history.messages(conversationId, limit, before);
  }

  /** About `limit` messages with `id` in their middle, oldest first (a search result opened). */
  messagesAround(conversationId: string, id: string, limit: number): ChatMessage[] {
    return this.parts.history.messagesAround(conversationId, id, limit);
  }

  message(id: string): ChatMessage | undefined {
    return this.parts.history.message(id);
  }

  /** Messages of the whole history that hold every word of `query`, best first. */
  search(query: string, options?: SearchOptions): SearchHit[] {
    return this.parts.search.search(query, options);
  }

  /** Nothing waits to go to the relay: every message, receipt and request written here was sent or refused. */
  outboxEmpty(): boolean {
    return this.parts.outbox.isEmpty();
  }

  /** Checks with the relay that a user exists, then makes (or returns) the conversation. */
  async openConversation(username: string): Promise<Conversation> {
    const peer = Username.parse(username);
    await this.parts.directory.devices(peer, true);
    return this.parts.conversations.direct(peer);
  }

  /**
   * Resolves once the relay stored the message; `queue: false` throws instead of waiting. With
   * `attachments`: client/attachments.ts. With `replyTo`, it quotes that message of the conversation.
   */
  async send(conversationId: string, text: string, opts: { queue: boolean; attachments?: string[]; replyTo?: string } = { queue: true }): Promise<ChatMessage> {
    const { attachments, replyTo, ...rest } = opts;
    this.people.checkWritable(conversationId);
    const quoted = replyTo === undefined ? {} : { replyTo: this.parts.actions.quote(conversationId, replyTo) };
    return attachments?.length
      ? this.parts.files.send(conversationId, text, attachments, { ...rest, ...quoted })
      : this.parts.sender.send(conversationId, text, { ...rest, ...quoted });
  }

  // ---- actions on a message: each is documented where it is done, in client/message-actions.ts --

  react(messageId: string, emoji: string | null, opts: Sending = { queue: true }): Promise<ChatMessage> { return this.parts.actions.react(messageId, emoji, opts); }
  edit(messageId: string, text: string, opts: Sending = { queue: true }): Promise<ChatMessage> { return this.parts.actions.edit(messageId, text, opts); }
  deleteMessage(messageId: string, opts: Sending & { forEveryone: boolean }): Promise<void> { return this.parts.actions.delete(messageId, opts.forEveryone, opts); }
  messageVersions(messageId: string): MessageVersion[] { return this.parts.actions.versions(messageId); }
  /** Sends a copy of a message (its files not uploaded again) to another conversation: client/forwards.ts. */
  forward(messageId: string, conversationId: string, opts: Sending = { queue: true }): Promise<ChatMessage> { return this.parts.forwards.forward(messageId, conversationId, opts); }

  /** Marks a conversation read here, tells the sender (direct chats) and this account's other devices. */
  markRead(conversationId: string): void {
    this.parts.sender.markRead(conversationId);
    this.parts.states.seen(conversationId);
  }

  // ---- how a conversation is kept: documented in client/conversation-states.ts and disappearing.ts --

  changeConversation(conversationId: string, patch: Partial<ConversationState>): Conversation { return this.parts.states.change(conversationId, patch); }
  setDraft(conversationId: string, draft: string): void { this.parts.states.setDraft(conversationId, draft); }
  setDisappearing(conversationId: string, expiresIn: number | null): ChatMessage { return this.parts.disappearing.set(conversationId, expiresIn); }

  /** Received messages the CLI has not printed yet (client/printed-cursor.ts); undefined when there are none. */
  unprinted(limit: number): PrintedPage | undefined { return this.parts.printed.next(limit); }

  /** Once a page's lines are written out: a crash before this prints them again rather than losing them. */
  markPrinted(through: PrintedPage['through']): void { this.parts.printed.advance(through); }

  unreadCounts(): UnreadCounts {
    return { chat: this.parts.history.unreadCount(), push: this.parts.pushes.unreadCount() };
  }

  // ---- attachments: each is documented where it is done, in client/attachments.ts ------------

  stageAttachment(source: AsyncIterable<Uint8Array>, options: StageOptions): Promise<StagedAttachment> { return this.parts.files.stage(source, options); }
  discardStaged(stagedId: string): Promise<void> { return this.parts.files.discard(stagedId); }
  /** The largest file (its ciphertext, in bytes) the relay takes. */
  get attachmentMaxBytes(): number { return this.parts.files.maxBytes(); }
  attachment(id: string): AttachmentView | undefined { return this.parts.files.attachment(id); }
  downloadAttachment(id: string): Promise<AttachmentView> { return this.parts.files.download(id); }
  cancelTransfer(id: string): Promise<AttachmentView> { return this.parts.files.cancel(id); }
  retryTransfer(id: string): Promise<AttachmentView> { return this.parts.files.retry(id); }
  async openAttachment(id: string, range?: { start: number; end?: number }): Promise<OpenedAttachment> { return this.parts.files.open(id, range); }
  saveAttachment(id: string, outPath: string): Promise<void> { return this.parts.files.save(id, outPath); }

  // ---- groups -----------------------------------------------------------------------------

  createGroup(name: string, members: string[]): Promise<Conversation> {
    return this.parts.groupAdmin.create(name, members);
  }

  addMembers(groupId: string, members: string[]): Promise<Conversation> {
    return this.parts.groupAdmin.add(groupId, members);
  }

  removeMember(groupId: string, member: string): Promise<Conversation> {
    return this.parts.groupAdmin.remove(groupId, member);
  }

  leaveGroup(groupId: string): Promise<Conversation> { return this.parts.groupAdmin.leave(groupId); }
  /** Deletes a conversation and all in it from this device (a group once left): client/conversation-removal.ts. */
  deleteConversation(conversationId: string): void { this.parts.removal.remove(conversationId); }

  // ---- typing and presence ----------------------------------------------------------------

  /** Tells the conversation's people who are online now; never queued, never retried. */
  setTyping(conversationId: string, typing: boolean): Promise<void> {
    return this.parts.typing.send(conversationId, typing);
  }

  /** Who is typing where, as last heard: for a window that opens while they are. */
  typingNow(): TypingNow[] {
    return this.parts.typing.now();
  }

  setPresence(update: { state?: 'online' | 'away'; hidden?: boolean; away?: boolean }): void {
    this.parts.presences.set(update);
  }

  presenceList(): Presence[] {
    return this.parts.presences.list();
  }

  // ---- devices and trust ------------------------------------------------------------------

  /** Approves the new device showing this code, and (unless told not to) sends it this account's conversations. */
  approveDevice(code: string, opts: { share: boolean } = { share: true }): Promise<string> {
    return this.parts.devices.approve(code, opts);
  }

  devices(): Promise<DeviceInfo[]> {
    return this.parts.devices.list();
  }

  removeDevice(deviceKey: string): Promise<void> {
    return this.parts.devices.remove(deviceKey);
  }

  shareConversations(): Promise<void> {
    return this.parts.devices.shareConversations();
  }

  safety(username: string): Promise<SafetyInfo> {
    return this.parts.safety.get(username);
  }

  /** `compared`: the number the person looked at; verifying fails when the key changed since. */
  setVerified(username: string, verified: boolean, compared?: string): Promise<SafetyInfo> {
    return this.parts.safety.setVerified(username, verified, compared);
  }

  // ---- push -------------------------------------------------------------------------------

  subscribePush(topic: string): PushSubscription {
    return this.parts.pushTopics.subscribe(topic);
  }

  unsubscribePush(topic: string): void {
    this.parts.pushTopics.unsubscribe(topic);
  }

  /** Undefined when not subscribed to the topic. */
  changePushSubscription(topic: string, change: SubscriptionChange): PushSubscription | undefined {
    return this.parts.pushTopics.change(topic, change);
  }

  pushSubscriptions(): PushSubscription[] {
    return this.parts.pushes.subscriptions();
  }

  pushSubscription(topic: string): PushSubscription | undefined {
    return this.parts.pushes.subscription(topic);
  }

  /** The newest pushes first, of one topic or of all. */
  pushList(topic: string | undefined, limit: number): PushItem[] {
    return this.parts.pushes.list(topic, limit);
  }

  /** One push, by id; undefined when it is not (or no longer) kept. */
  pushItem(id: string): PushItem | undefined {
    return this.parts.pushes.item(id);
  }

  /** The ids of every push kept. */
  pushIds(): Set<string> {
    return this.parts.pushes.ids();
  }

  /** The pushes that changed. */
  markPushesRead(which: { ids: string[] } | { topic: string } | { all: true }): PushItem[] {
    return this.parts.pushes.markRead(which);
  }

  /** The ids deleted. */
  deletePushes(ids: string[]): string[] {
    return this.parts.pushes.remove(ids);
  }

  /** The ids deleted. */
  clearPushTopic(topic: string): string[] {
    return this.parts.pushes.clearTopic(topic);
  }
}

function defaultLogger(): Logger {
  // The CLI's and bots' stderr takes the same care as the app's log file: no text, keys or tokens.
  // A level pino does not know would make it throw, and with it every open: warnings only, then.
  const level = logLevelOr(process.env.WARBLER_LOG_LEVEL, 'warn');
  return pino({ level, name: 'warbler', ...safeLoggerOptions() }, pino.destination(2));
}
