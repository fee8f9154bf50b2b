// The headless Warbler client: one profile's device, its relay session and its local history.
// Used by the Electron main process, the web host, the CLI, bots and tests alike.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import pino, { type Logger } from 'pino';
import {
  DeviceBox,
  LINK_SECRET_DIGITS,
  certifyDevice,
  fromB64,
  linkAccountProof,
  linkDeviceProof,
  linkKey,
  newLinkSecret,
  sameProof,
  generateIdentity,
  loadSodium,
  openAccountKey,
  sealAccountKey,
  verify,
  type IdentityKeyPair,
} from '../shared/crypto.js';
import { safetyNumber, safetyQrPayload } from '../shared/e2e/safety.js';
import {
  GroupId,
  ONE_TIME_PREKEYS_LOW,
  GroupName,
  MAX_FRAME_BYTES,
  MAX_RECIPIENTS,
  MessageText,
  Payload,
  Username,
  type ChatRef,
  type EnvelopeFrame,
  type EphemeralFrame,
  type GroupAction,
  type PayloadBody,
  type PresenceEventFrame,
  type SealedEnvelope,
} from '../shared/protocol.js';
import type {
  ChatMessage,
  ConnectionState,
  Conversation,
  DeviceInfo,
  Presence,
  PushItem,
  PushSubscription,
  SafetyInfo,
  UnreadCounts,
} from '../shared/ipc.js';
import { PushMessage, pushSignaturePayload } from '../shared/push.js';
import { PushStore } from './push-store.js';
import { newId } from '../shared/ids.js';
import { RelayConnection, RelayError, registerAccount, requestLink, type ConnectionTiming } from './connection.js';
import { History, type OutboxEntry } from './history.js';
import { applyGroupChange } from './groups.js';
import { HISTORY_FILE, readProfile, readProfileInfo, writeProfile, type Profile } from './profile.js';
import { HistoryKey } from './vault/history-key.js';
import { historyKey, type KeySource } from './vault/vault.js';
import { PreKeyStore } from './e2e/prekeys.js';
import { DecryptError, SessionStore } from './e2e/sessions.js';
import { IdentityStore } from './e2e/identities.js';
import { Directory } from './e2e/directory.js';
import { Ledger } from './e2e/ledger.js';

/** Received envelopes are stored and acked in batches of up to this many. */
const BATCH = 256;
const HIDDEN_SETTING = 'presence.hidden';
const RELAY_KEY_SETTING = 'relay.key';
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;
/** Payload kinds worth sending again to a device that could not decrypt them. */
const RESENDABLE = new Set<Payload['kind']>(['text', 'group', 'read', 'contacts']);
/** Times one device may have the same message sent again. */
const MAX_RESENDS = 3;
/** A link code: the relay's 8-digit id of the waiting device, then the secret the relay never sees. */
export const LINK_CODE_DIGITS = 8 + LINK_SECRET_DIGITS;
/** A typing indicator older (or further ahead) than this is a replay or a broken clock. */
const TYPING_FRESH_MS = 30_000;
/** At most one fresh session per device this often for resend requests: garbage must not buy a bundle each. */
const FRESH_SESSION_EVERY_MS = 60_000;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

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
  presence: [Presence];
  typing: [{ conversationId: string; username: string; typing: boolean }];
  /** A contact's identity key changed, or its verification did. */
  safety: [SafetyInfo];
  /** A message left a conversation (a placeholder replaced by the real message in another). */
  removed: [{ conversationId: string; id: string }];
  /** A push was stored (new), or changed (read). */
  push: [PushItem];
  /** These pushes were deleted. */
  pushRemoved: [string[]];
  pushSubscriptions: [PushSubscription[]];
}

export interface ClientOptions {
  /** Overrides the server URL stored in the profile. */
  serverUrl?: string;
  logger?: Logger;
  /** Heartbeat and request timeouts (tests shorten them). */
  timing?: ConnectionTiming;
  /**
   * The history key, or where to get it (vault/). Default: the key file history.key in the profile
   * folder, made with a new profile.
   */
  keys?: KeySource | HistoryKey;
}

/** The key itself, or from its source: a VaultError says plainly why it cannot be had. */
async function resolveKey(dir: string, keys: ClientOptions['keys']): Promise<HistoryKey> {
  await loadSodium();
  return keys instanceof HistoryKey ? keys : historyKey(dir, keys ?? { kind: 'key-file' });
}

export interface LinkInProgress {
  /** The 18-digit code to enter on a device that has the account: 8 to find this device, 10 secret. */
  code: string;
  expiresAt: number;
  /** The opened client, once an existing device approved this one. */
  done: Promise<WarblerClient>;
  cancel(): void;
}

export class WarblerClient extends EventEmitter<ClientEvents> {
  readonly connection: RelayConnection;
  readonly history: History;
  private readonly log: Logger;
  private readonly box: DeviceBox;
  private readonly preKeys: PreKeyStore;
  private readonly sessions: SessionStore;
  private readonly identities: IdentityStore;
  private readonly directory: Directory;
  private readonly ledger: Ledger;
  readonly pushes: PushStore;
  private readonly resends = new Map<string, number>();
  private readonly freshSessionAt = new Map<string, number>();
  private preKeysLeft: number | undefined;
  private maintainingPreKeys = false;
  private readonly presences = new Map<string, Presence>();
  private inbox: EnvelopeFrame[] = [];
  private processing = false;
  private drainPending = false;
  private flushing: Promise<void> | undefined;
  private inboxRun: Promise<void> | undefined;
  private closed = false;
  private away = false;
  private retryTimer: NodeJS.Timeout | undefined;
  /** A connection can outlive a week: the signed prekey is checked daily, not only at login. */
  private readonly preKeyTimer: NodeJS.Timeout;
  private retryDelay = RETRY_MIN_MS;
  /** Why a message is still (or finally) unsent, for the caller of send(). */
  private readonly sendErrors = new Map<string, Error>();

  private constructor(
    readonly profile: Profile,
    readonly profileDir: string,
    readonly serverUrl: string,
    log: Logger,
    key: HistoryKey,
    timing?: ConnectionTiming,
  ) {
    super();
    this.log = log;
    this.history = new History(path.join(profileDir, HISTORY_FILE), key);
    this.box = new DeviceBox(profile.identity.secretKey);
    const db = this.history.database;
    this.preKeys = new PreKeyStore(db, profile.identity);
    this.sessions = new SessionStore(db, profile.identity, this.preKeys);
    this.identities = new IdentityStore(db);
    this.ledger = new Ledger(db);
    this.pushes = new PushStore(db);
    this.ledger.prune(Date.now());
    this.directory = new Directory({
      me: { username: profile.username, accountKey: profile.account.publicKey },
      identities: this.identities,
      fetch: async (username) => this.connection.request({ type: 'devices', username }),
      changed: (username) => this.identityChanged(username),
      log,
      now: Date.now,
    });
    this.connection = new RelayConnection(serverUrl, profile.identity, () => this.presenceHidden, timing);
    this.preKeyTimer = setInterval(() => this.maintainPreKeys(), 86_400_000);
    this.preKeyTimer.unref();
    this.connection.on('relayKey', (key) => {
      // Trust on first use: pushes must carry this relay's signature from then on.
      if (this.history.setting(RELAY_KEY_SETTING) === undefined) this.history.setSetting(RELAY_KEY_SETTING, key);
      else if (this.history.setting(RELAY_KEY_SETTING) !== key) this.log.error('the relay presents a different signing key: its pushes are refused');
    });
    this.connection.on('push', (frame) => this.receivePush(frame));
    this.connection.on('preKeys', (remaining) => {
      this.preKeysLeft = remaining;
      this.maintainPreKeys();
    });
    this.connection.on('state', (state) => {
      this.emit('state', state);
      if (state === 'online') {
        this.maintainPreKeys();
        this.followPushTopics(this.pushes.resumePoints());
        this.flushOutbox().catch((err: unknown) => this.log.error({ err }, 'outbox failed'));
        if (this.away) this.sendPresence();
      } else {
        // Anything not stored before the link dropped will be resent by the relay: start clean.
        this.inbox = [];
        this.drainPending = false;
      }
    });
    this.connection.on('fatal', (err) => this.emit('fatal', err));
    this.connection.on('expired', (count) => this.emit('expired', count));
    this.connection.on('envelope', (frame) => this.enqueue(frame));
    this.connection.on('ephemeral', (frame) => this.receiveEphemeral(frame));
    this.connection.on('presence', (frame) => this.receivePresence(frame));
    this.connection.on('drained', () => {
      this.drainPending = true;
      this.kick();
    });
  }

  /** Opens the profile in `dir`; throws when there is none. */
  static async open(dir: string, options: ClientOptions = {}): Promise<WarblerClient> {
    await loadSodium();
    // Before the key: a folder with no profile must not get a key file made for nothing.
    if (!readProfileInfo(dir)) throw new Error(`no Warbler profile in ${dir} (register first)`);
    const key = await resolveKey(dir, options.keys);
    const profile = readProfile(dir, key);
    if (!profile) throw new Error(`no Warbler profile in ${dir} (register first)`);
    return new WarblerClient(profile, dir, options.serverUrl ?? profile.serverUrl, options.logger ?? defaultLogger(), key, options.timing);
  }

  /** Creates the account and device keys and the first prekeys, registers on the relay, then writes the profile. */
  static async register(dir: string, serverUrl: string, username: string, options: ClientOptions = {}): Promise<WarblerClient> {
    await loadSodium();
    if (readProfileInfo(dir)) throw new Error(`${dir} already holds a Warbler profile`);
    const name = Username.parse(username);
    const key = await resolveKey(dir, options.keys);
    const identity = generateIdentity();
    const account = generateIdentity();
    const preKeys = firstPreKeys(dir, identity, key);
    await registerAccount(serverUrl, name, { identity, account, preKeys });
    writeProfile(dir, { serverUrl, username: name, identity, account }, key);
    return WarblerClient.open(dir, { ...options, keys: key });
  }

  /**
   * Makes this folder a new device of an existing account: returns the code to enter on a device
   * that has the account; the profile is written once that device approves.
   */
  static async link(dir: string, serverUrl: string, options: ClientOptions = {}): Promise<LinkInProgress> {
    await loadSodium();
    if (readProfileInfo(dir)) throw new Error(`${dir} already holds a Warbler profile`);
    const storeKey = await resolveKey(dir, options.keys);
    const identity: IdentityKeyPair = generateIdentity();
    // The code's secret part goes from this screen to the approving device through a person only.
    const secret = newLinkSecret();
    const key = linkKey(secret, identity.publicKey);
    const pending = await requestLink(serverUrl, identity, firstPreKeys(dir, identity, storeKey), linkDeviceProof(key, identity.publicKey));
    return {
      code: pending.linkId + secret,
      expiresAt: pending.expiresAt,
      cancel: pending.cancel,
      done: pending.linked.then((linked) => {
        // Only a device that was given the code can vouch for the account key: not the relay.
        if (!sameProof(linked.confirmation, linkAccountProof(key, linked.accountKey, identity.publicKey))) {
          throw new RelayError('bad_link', 'the account key did not come from a device that was given this code');
        }
        const account = openAccountKey(linked.sealedAccount, identity, linked.accountKey);
        if (!account) throw new RelayError('bad_link', 'the approving device sent an account key that does not open or does not match');
        writeProfile(dir, { serverUrl, username: linked.username, identity, account }, storeKey);
        return WarblerClient.open(dir, { ...options, keys: storeKey });
      }),
    };
  }

  get username(): string {
    return this.profile.username;
  }

  get deviceKey(): string {
    return this.profile.identity.publicKey;
  }

  get presenceHidden(): boolean {
    return this.history.setting(HIDDEN_SETTING) === 'true';
  }

  /** Connects (again, after a fatal stop). */
  start(): void {
    this.connection.start();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.preKeyTimer);
    this.connection.stop();
    await this.flushing;
    await this.inboxRun;
    this.history.close();
  }

  // ---- conversations ----------------------------------------------------------------------

  /** Checks with the relay that a user exists, then makes (or returns) the conversation. */
  async openConversation(username: string): Promise<Conversation> {
    const peer = Username.parse(username);
    await this.directory.devices(peer, true);
    return this.directConversation(peer);
  }

  private directConversation(peer: string): Conversation {
    this.history.ensureConversation({ id: peer, kind: 'direct', title: peer, members: [this.username, peer] }, Date.now());
    const conversation = this.history.conversation(peer);
    if (!conversation) throw new Error(`conversation ${peer} vanished`);
    this.emit('conversation', conversation);
    return conversation;
  }

  /**
   * Writes the message and its outbox entry, then lets the one outbox sender deliver it after
   * anything written earlier (so order holds across reconnects). With `queue: false` a message that
   * cannot go out now is marked failed and the reason thrown, instead of waiting for the next connection.
   */
  async send(conversationId: string, text: string, opts: { queue: boolean } = { queue: true }): Promise<ChatMessage> {
    const body = MessageText.parse(text);
    const target = this.sendTarget(conversationId);
    const message: ChatMessage = {
      id: newId(),
      conversationId: target.conversationId,
      sender: this.username,
      outgoing: true,
      kind: 'text',
      text: body,
      event: null,
      sentAt: Date.now(),
      serverTime: null,
      state: 'sending',
    };
    this.history.durable(() => {
      this.history.addMessage(message, { read: true });
      this.enqueuePayload(target.recipients, { kind: 'text', chat: target.chat, text: body }, message);
    });
    this.announce(message);
    if (this.connection.state === 'online') await this.flushOutbox();
    const now = this.history.message(message.id) ?? message;
    const failure = this.sendErrors.get(message.id);
    this.sendErrors.delete(message.id);
    if (now.state === 'failed') throw failure ?? new RelayError('failed', 'the message could not be sent');
    if (now.state === 'sending' && !opts.queue) {
      this.history.dequeue(message.id);
      const failed = this.history.markFailed(message.id);
      if (failed) this.announce(failed);
      throw failure ?? this.connection.lastError ?? new RelayError('offline', 'not connected to the relay');
    }
    return now;
  }

  private sendTarget(conversationId: string): { conversationId: string; chat: ChatRef; recipients: string[] } {
    if (GroupId.safeParse(conversationId).success) {
      const group = this.history.conversation(conversationId);
      if (!group || group.kind !== 'group') throw new RelayError('unknown_conversation', 'no such group');
      if (!group.active) throw new RelayError('not_a_member', 'you are no longer a member of this group');
      return { conversationId, chat: { type: 'group', id: conversationId }, recipients: this.others(group.members) };
    }
    const peer = Username.parse(conversationId);
    this.directConversation(peer);
    return { conversationId: peer, chat: { type: 'direct', peer }, recipients: [peer] };
  }

  /** Everyone but me; just me (my other devices) when I am alone. */
  private others(members: string[]): string[] {
    const rest = members.filter((m) => m !== this.username);
    return rest.length > 0 ? rest : [this.username];
  }

  /** Marks a conversation read here, tells the sender (direct chats) and this account's other devices. */
  markRead(conversationId: string): void {
    const ids = this.history.markRead(conversationId);
    if (ids.length === 0) return;
    const conversation = this.history.conversation(conversationId);
    if (conversation) this.emit('conversation', conversation);
    const chat: ChatRef =
      conversation?.kind === 'group' ? { type: 'group', id: conversationId } : { type: 'direct', peer: conversationId };
    // Groups: other members are not told who read what; only this account's devices sync.
    const recipients = chat.type === 'direct' ? [conversationId] : [this.username];
    for (let i = 0; i < ids.length; i += 500) {
      this.enqueuePayload(recipients, { kind: 'read', chat, messageIds: ids.slice(i, i + 500) });
    }
    this.flushSoon();
  }

  // ---- groups -----------------------------------------------------------------------------

  async createGroup(name: string, members: string[]): Promise<Conversation> {
    const title = GroupName.parse(name);
    const invited = [...new Set(members.map((m) => Username.parse(m)))].filter((m) => m !== this.username);
    await this.requireAccounts(invited, invited.length + 1);
    // The member list says who is in; subjects would repeat it (and a 256-member change is sealed 255 times).
    return this.changeGroup(`#${newId()}`, 'create', [this.username, ...invited], [], title);
  }

  async addMembers(groupId: string, members: string[]): Promise<Conversation> {
    const group = this.requireGroup(groupId);
    const added = [...new Set(members.map((m) => Username.parse(m)))].filter((m) => !group.members.includes(m));
    if (added.length === 0) return group;
    await this.requireAccounts(added, group.members.length + added.length);
    return this.changeGroup(groupId, 'add', [...group.members, ...added], added, group.title);
  }

  async removeMember(groupId: string, member: string): Promise<Conversation> {
    const group = this.requireGroup(groupId);
    const removed = Username.parse(member);
    if (!group.members.includes(removed)) return group;
    if (removed === this.username) return this.leaveGroup(groupId);
    return this.changeGroup(groupId, 'remove', group.members.filter((m) => m !== removed), [removed], group.title, [removed]);
  }

  async leaveGroup(groupId: string): Promise<Conversation> {
    const group = this.requireGroup(groupId);
    return this.changeGroup(groupId, 'leave', group.members.filter((m) => m !== this.username), [this.username], group.title);
  }

  private requireGroup(groupId: string): Conversation {
    const group = this.history.conversation(GroupId.parse(groupId));
    if (!group || group.kind !== 'group') throw new RelayError('unknown_conversation', 'no such group');
    if (!group.active) throw new RelayError('not_a_member', 'you are no longer a member of this group');
    return group;
  }

  private async requireAccounts(usernames: string[], groupSize: number): Promise<void> {
    if (groupSize > MAX_RECIPIENTS) throw new RelayError('too_many', `a group has at most ${MAX_RECIPIENTS} members`);
    for (const username of usernames) await this.directory.devices(username, true);
  }

  /** Applies a membership change here and sends the group's new state to old and new members alike. */
  private async changeGroup(
    groupId: string,
    action: GroupAction,
    members: string[],
    subjects: string[],
    name: string,
    alsoTell: string[] = [],
  ): Promise<Conversation> {
    const messageId = newId();
    const sentAt = Date.now();
    const before = this.history.conversation(groupId)?.members ?? [];
    this.history.durable(() => {
      const line = applyGroupChange(this.history, this.username, {
        groupId, name, members, action, subjects, actor: this.username, messageId, sentAt, serverTime: null,
      });
      if (line) this.emit('message', line);
      const recipients = this.others([...new Set([...before, ...members, ...alsoTell])]);
      this.enqueuePayload(recipients, { kind: 'group', group: groupId, name, members, action, subjects }, { id: messageId, sentAt });
    });
    const conversation = this.history.conversation(groupId);
    if (!conversation) throw new Error(`group ${groupId} vanished`);
    this.emit('conversation', conversation);
    await this.flushOutbox();
    // Offline, the change waits in the outbox; refused for good, the caller must hear it.
    const failure = this.sendErrors.get(messageId);
    this.sendErrors.delete(messageId);
    if (failure && !isRetryable(failure)) throw failure;
    return this.history.conversation(groupId) ?? conversation;
  }

  // ---- typing and presence ----------------------------------------------------------------

  /** Tells the conversation's people who are online now; never queued, never retried. */
  async setTyping(conversationId: string, typing: boolean): Promise<void> {
    if (this.connection.state !== 'online') return;
    const target = this.sendTarget(conversationId);
    if (target.recipients.length === 1 && target.recipients[0] === this.username) return;
    const messageId = newId();
    const payload = this.seal({ kind: 'typing', chat: target.chat, typing }, messageId, Date.now());
    try {
      await this.deliver({ seq: 0, messageId, recipients: target.recipients, payload, device: null, fresh: false }, { ephemeral: true });
    } catch (err) {
      this.log.debug({ err }, 'typing not sent');
    }
  }

  setPresence(update: { state?: 'online' | 'away'; hidden?: boolean }): void {
    if (update.hidden !== undefined) this.history.setSetting(HIDDEN_SETTING, String(update.hidden));
    if (update.state !== undefined) this.away = update.state === 'away';
    this.sendPresence();
  }

  presenceList(): Presence[] {
    return [...this.presences.values()];
  }

  private sendPresence(): void {
    if (this.connection.state !== 'online') return;
    this.connection
      .request({ type: 'presence', state: this.away ? 'away' : 'online', hidden: this.presenceHidden })
      .catch((err: unknown) => this.log.debug({ err }, 'presence not sent'));
  }

  private receivePresence(frame: PresenceEventFrame): void {
    const presence: Presence = { username: frame.username, state: frame.state, lastSeen: frame.lastSeen };
    this.presences.set(frame.username, presence);
    this.emit('presence', presence);
  }

  // ---- linking ----------------------------------------------------------------------------

  /**
   * Approves the new device showing this code. The code's first 8 digits find the waiting device on
   * the relay; its last 10 never went there, and prove that the key waiting behind it is that
   * device's. Then: certifies the key, hands the device the account key sealed to it alone (with a
   * proof it can check), and sends it this account's conversations.
   */
  async approveDevice(code: string, opts: { share: boolean } = { share: true }): Promise<string> {
    const digits = code.replace(/\D/g, '');
    if (digits.length !== LINK_CODE_DIGITS) throw new RelayError('bad_code', `the code is ${LINK_CODE_DIGITS} digits`);
    const [linkId, secret] = [digits.slice(0, 8), digits.slice(8)];
    const { identityKey, proof } = await this.connection.request({ type: 'link-lookup', linkId });
    const key = linkKey(secret, identityKey);
    if (!sameProof(proof, linkDeviceProof(key, identityKey))) {
      throw new RelayError('link_mismatch', 'the device waiting behind this code is not the one showing it: do not link it');
    }
    const account = this.profile.account;
    await this.connection.request({
      type: 'link-approve',
      linkId,
      certificate: certifyDevice(identityKey, account.secretKey),
      sealedAccount: sealAccountKey(account.secretKey, identityKey),
      confirmation: linkAccountProof(key, account.publicKey, identityKey),
    });
    await this.directory.devices(this.username, true);
    if (opts.share) await this.shareConversations();
    return identityKey;
  }

  /** This account's devices, as its account key certifies them. */
  async devices(): Promise<DeviceInfo[]> {
    const { devices } = await this.directory.devices(this.username, true);
    return devices.map((deviceKey) => ({ deviceKey, current: deviceKey === this.deviceKey }));
  }

  /** Unlinks another device of this account: the relay drops it and its queue; it gets nothing new. */
  async removeDevice(deviceKey: string): Promise<void> {
    if (deviceKey === this.deviceKey) throw new RelayError('this_device', 'this is the device you are using; remove it from another one');
    await this.connection.request({ type: 'device-remove', device: deviceKey });
    this.history.batch(() => this.sessions.forget(deviceKey));
    await this.directory.devices(this.username, true);
  }

  // ---- trust ------------------------------------------------------------------------------

  /** The safety number with a contact: the same 60 digits on both sides when nobody sits between them. */
  async safety(username: string): Promise<SafetyInfo> {
    const peer = Username.parse(username);
    if (peer === this.username) throw new RelayError('own_account', 'a safety number is between you and someone else');
    if (!this.identities.get(peer)) await this.directory.devices(peer, true);
    return this.safetyInfo(peer);
  }

  /** `compared`: the number the person looked at; verifying fails when the key changed since. */
  async setVerified(username: string, verified: boolean, compared?: string): Promise<SafetyInfo> {
    const info = await this.safety(username);
    if (verified && compared !== info.safetyNumber) {
      throw new RelayError('safety_number_changed', `the safety number with ${info.username} changed: compare the new one`);
    }
    this.identities.setVerified(info.username, verified);
    const updated = this.safetyInfo(info.username);
    this.emit('safety', updated);
    return updated;
  }

  private safetyInfo(peer: string): SafetyInfo {
    const pinned = this.identities.get(peer);
    if (!pinned) throw new RelayError('unknown_recipient', `no identity known for ${peer}`);
    const number = safetyNumber(
      { username: this.username, accountKey: fromB64(this.profile.account.publicKey) },
      { username: peer, accountKey: fromB64(pinned.accountKey) },
    );
    return { username: peer, safetyNumber: number, qrPayload: safetyQrPayload(number), verified: pinned.verified, changedAt: pinned.changedAt };
  }

  /** A contact's account key changed: every conversation with them says so, where it can be seen. */
  private identityChanged(username: string): void {
    const at = Date.now();
    const lines = this.history.batch(() =>
      this.history
        .conversations()
        .filter((c) => (c.kind === 'direct' ? c.id === username : c.active && c.members.includes(username)))
        .map((c) => {
          const line: ChatMessage = {
            id: newId(),
            conversationId: c.id,
            sender: username,
            outgoing: false,
            kind: 'identity-changed',
            text: '',
            event: null,
            sentAt: at,
            serverTime: at,
            state: 'delivered',
          };
          this.history.addMessage(line, { read: true });
          return line;
        }),
    );
    for (const line of lines) this.announce(line);
    this.emit('safety', this.safetyInfo(username));
  }

  // ---- push ------------------------------------------------------------------------------

  /** Follows a topic: the relay sends what it has cached for it, then every new push. */
  subscribePush(topic: string): PushSubscription {
    const subscription = this.pushes.subscribe(topic);
    this.emit('pushSubscriptions', this.pushes.subscriptions());
    this.followPushTopics(this.pushes.resumePoints().filter((p) => p.topic === topic));
    return subscription;
  }

  unsubscribePush(topic: string): void {
    const removed = this.pushes.unsubscribe(topic);
    if (removed.length > 0) this.emit('pushRemoved', removed);
    this.emit('pushSubscriptions', this.pushes.subscriptions());
    if (this.connection.state === 'online') {
      this.connection.request({ type: 'push-unsubscribe', topics: [topic] }).catch((err: unknown) => this.log.debug({ err }, 'unsubscribe not sent'));
    }
  }

  unreadCounts(): UnreadCounts {
    return {
      chat: this.history.unreadCount(),
      push: this.pushes.unreadCount(),
    };
  }

  private followPushTopics(topics: { topic: string; after: string | null }[]): void {
    if (topics.length === 0 || this.connection.state !== 'online') return;
    this.connection
      .request({ type: 'push-subscribe', topics })
      .catch((err: unknown) => this.log.warn({ err }, 'could not follow push topics'));
  }

  /** A push counts only with the relay's signature over exactly what arrived. */
  private receivePush(frame: { json: string; signature: string }): void {
    const relayKey = this.history.setting(RELAY_KEY_SETTING);
    if (!relayKey || !verify(pushSignaturePayload(frame.json), frame.signature, relayKey)) {
      this.log.warn('refusing a push whose signature does not verify');
      return;
    }
    let message: PushMessage;
    try {
      message = PushMessage.parse(JSON.parse(frame.json));
    } catch {
      this.log.warn('refusing an unreadable push');
      return;
    }
    const item = this.pushes.add(message);
    if (item) this.emit('push', item);
  }

  // ---- prekeys ----------------------------------------------------------------------------

  /** Tops the relay's one-time prekeys up to 100 when fewer than 20 are left; replaces a week-old signed prekey. */
  private maintainPreKeys(): void {
    if (this.maintainingPreKeys || this.closed || this.connection.state !== 'online' || this.preKeysLeft === undefined) return;
    const now = Date.now();
    const left = this.preKeysLeft;
    const signedPreKey = this.preKeys.rotate(now);
    const oneTimePreKeys = left < ONE_TIME_PREKEYS_LOW ? this.preKeys.refill(left, now) : [];
    if (!signedPreKey && oneTimePreKeys.length === 0) return;
    this.maintainingPreKeys = true;
    this.connection
      .request({ type: 'prekeys', ...(signedPreKey ? { signedPreKey } : {}), oneTimePreKeys })
      .then(
        (result) => {
          this.preKeysLeft = result.oneTimePreKeys;
        },
        (err: unknown) => {
          // The secrets are kept; the next login reports the count again and the upload is retried.
          this.log.warn({ err }, 'could not upload prekeys');
          this.preKeysLeft = undefined;
        },
      )
      .finally(() => {
        this.maintainingPreKeys = false;
      });
  }

  /** Sends this account's conversations (direct peers, groups and their members) to its other devices. */
  async shareConversations(): Promise<void> {
    const conversations = this.history.conversations();
    this.enqueuePayload([this.username], {
      kind: 'contacts',
      direct: conversations.filter((c) => c.kind === 'direct').map((c) => c.id),
      groups: conversations
        .filter((c) => c.kind === 'group' && c.active)
        .map((c) => ({ id: c.id, name: c.title, members: c.members })),
    });
    await this.flushOutbox();
  }

  // ---- sending ----------------------------------------------------------------------------

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

  private seal(body: PayloadBody, messageId: string, sentAt: number): string {
    return JSON.stringify({ v: 1, messageId, from: this.username, sentAt, ...body });
  }

  private enqueuePayload(
    recipients: string[],
    body: PayloadBody,
    as?: { id: string; sentAt: number },
    only?: { device: string; fresh: boolean },
  ): void {
    const messageId = as?.id ?? newId();
    this.history.enqueue(messageId, recipients, this.seal(body, messageId, as?.sentAt ?? Date.now()), only);
  }

  private flushSoon(): void {
    if (this.connection.state === 'online') this.flushOutbox().catch((err: unknown) => this.log.error({ err }, 'outbox failed'));
  }

  /** The devices an entry is sealed for: every certified device of its recipients and of this account, or the one it names. */
  private async targetsOf(entry: OutboxEntry): Promise<Map<string, string>> {
    const targets = new Map<string, string>();
    for (const username of new Set([...entry.recipients, this.username])) {
      for (const device of (await this.directory.devices(username)).devices) targets.set(device, username);
    }
    targets.delete(this.deviceKey);
    if (entry.device === null) return targets;
    const owner = targets.get(entry.device);
    return owner ? new Map([[entry.device, owner]]) : new Map();
  }

  /** Starts sessions (X3DH) with the devices that have none yet, one bundles request per account. */
  private async startSessions(targets: Map<string, string>, fresh: string | null): Promise<void> {
    const missing = new Map<string, string[]>();
    for (const [device, username] of targets) {
      if (device !== fresh && this.sessions.has(device)) continue;
      missing.set(username, [...(missing.get(username) ?? []), device]);
    }
    await Promise.all(
      [...missing].map(async ([username, devices]) => {
        for (let i = 0; i < devices.length; i += 64) {
          const { bundles } = await this.connection.request({ type: 'bundles', username, devices: devices.slice(i, i + 64) });
          this.history.batch(() => {
            for (const bundle of bundles) {
              if (!targets.has(bundle.device)) continue;
              try {
                this.sessions.start(bundle, Date.now());
              } catch (err) {
                this.log.warn({ err, username }, 'refusing a prekey bundle whose signature does not verify');
              }
            }
          });
        }
      }),
    );
  }

  /**
   * Seals the entry for every target device and sends it; null when there is nobody to send to.
   * The ratchets' new states are committed before the frame leaves: a crash can waste a key, never reuse one.
   */
  private async deliver(entry: OutboxEntry, opts: { ephemeral?: boolean } = {}): Promise<{ serverTime: number; devices: string[] } | null> {
    for (let attempt = 0; ; attempt++) {
      const targets = await this.targetsOf(entry);
      // Checked on every attempt: the device list of the last refusal may carry a new key.
      const held = entry.recipients.find((r) => this.identities.get(r)?.held);
      if (held) {
        throw new RelayError('identity_changed', `${held}'s safety number changed after you verified it: compare the new one before sending`);
      }
      if (targets.size === 0) {
        // Only this account's own devices, and there are no others (or the one asked for is gone): nothing to send.
        if (entry.device !== null || entry.recipients.every((r) => r === this.username)) return null;
      }
      let envelopes: SealedEnvelope[];
      if (opts.ephemeral) {
        envelopes = [...targets.keys()].map((device) => ({ device, sealed: { kind: 'box', ...this.box.seal(entry.payload, device) } }));
      } else {
        await this.startSessions(targets, entry.fresh ? entry.device : null);
        const plaintext = utf8.encode(entry.payload);
        // Committed (crash-safe) before the frame leaves, without an fsync of its own: should a power
        // cut undo it, the entry is still the outbox head and is sealed again with the same keys for
        // the same plaintext (the same ciphertext), so no key ever covers two different messages.
        envelopes = this.history.batch(() =>
          [...targets.keys()]
            .filter((device) => this.sessions.has(device))
            .map((device) => ({ device, sealed: this.sessions.encrypt(device, plaintext) })),
        );
      }
      // One sealed copy per device: a long text to many devices can outgrow a frame. Say so, don't retry.
      if (JSON.stringify(envelopes).length + 1024 > MAX_FRAME_BYTES) {
        throw new RelayError('too_large', `the message is too long to send to ${envelopes.length} devices`);
      }
      try {
        const result = await this.connection.request({
          type: 'send',
          messageId: entry.messageId,
          recipients: entry.recipients,
          envelopes,
          ...(opts.ephemeral ? { ephemeral: true } : {}),
          ...(entry.device !== null ? { partial: true } : {}),
        });
        return { serverTime: result.serverTime, devices: envelopes.map((e) => e.device) };
      } catch (err) {
        const accounts = err instanceof RelayError && err.code === 'device_mismatch' ? err.frame?.accounts : undefined;
        if (!accounts || attempt >= 2) throw err;
        for (const [username, account] of Object.entries(accounts)) {
          // The relay leaves out the sending device from this account's list; it is one of them all the same.
          this.directory.accept(username, account);
        }
      }
    }
  }

  private retryLater(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.flushSoon();
    }, this.retryDelay);
    this.retryDelay = Math.min(RETRY_MAX_MS, this.retryDelay * 2);
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
      if (this.closed || this.connection.state !== 'online') return;
      const entry = this.history.outboxHead();
      if (!entry) return;
      try {
        const delivered = await this.deliver(entry);
        const sent = this.history.batch(() => {
          this.history.dequeue(entry.messageId);
          if (delivered && entry.device === null && this.resendable(entry.payload)) {
            this.ledger.keepSent(entry.messageId, { recipients: entry.recipients, payload: entry.payload, ...delivered });
          }
          return this.history.markSent(entry.messageId, delivered?.serverTime ?? Date.now());
        });
        this.retryDelay = RETRY_MIN_MS;
        if (sent) this.announce(sent);
      } catch (err) {
        this.sendErrors.set(entry.messageId, err as Error);
        if (isRetryable(err)) {
          // Still connected (a timeout, a relay hiccup): try again soon rather than at the next send.
          if (this.connection.state === 'online') this.retryLater();
          return;
        }
        this.log.info({ err, messageId: entry.messageId }, 'message could not be sent');
        this.history.dequeue(entry.messageId);
        const failed = this.history.markFailed(entry.messageId);
        if (failed) this.announce(failed);
      }
    }
  }

  // ---- receiving --------------------------------------------------------------------------

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
        await this.learnSenders(batch);
        const changed: { message: ChatMessage; isNew: boolean }[] = [];
        const conversations = new Set<string>();
        const removed: { conversationId: string; id: string }[] = [];
        // Durable: the ack below lets the relay delete its copy.
        this.history.durable(() => {
          for (const frame of batch) {
            for (const outcome of this.receiveOne(frame)) {
              if ('conversationOnly' in outcome) conversations.add(outcome.conversationOnly);
              else if ('removed' in outcome) removed.push(outcome.removed);
              else changed.push(outcome);
            }
          }
        });
        // Stored: show it now; the ack only lets the relay delete its copy.
        for (const gone of removed) {
          this.emit('removed', gone);
          conversations.add(gone.conversationId);
        }
        for (const { message, isNew } of changed) {
          if (isNew) this.emit('received', message);
          this.announce(message);
          conversations.delete(message.conversationId);
        }
        for (const id of conversations) {
          const conversation = this.history.conversation(id);
          if (conversation) this.emit('conversation', conversation);
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
      // Resend requests written while receiving go out now.
      this.flushSoon();
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

  /**
   * Learns the device lists of senders whose device is not known yet (a contact's new device), so a
   * message from a device its account does not certify is told apart. Before the batch's transaction:
   * this asks the relay.
   */
  private async learnSenders(batch: EnvelopeFrame[]): Promise<void> {
    const unknown = new Set(batch.filter((f) => f.kind === 'message' && !this.directory.knows(f.from.username, f.from.device)).map((f) => f.from.username));
    for (const username of unknown) {
      try {
        await this.directory.devices(username, true);
      } catch (err) {
        // An account that is gone (reset): its messages cannot be attributed, and are dropped below.
        if (!(err instanceof RelayError && err.code === 'unknown_recipient')) throw err;
      }
    }
  }

  /** The payload inside a frame, checked against its routing; null when it is not one. */
  private parsePayload(plain: Uint8Array, frame: { from: { username: string }; messageId: string }): Payload | null {
    let payload: Payload;
    try {
      payload = Payload.parse(JSON.parse(fromUtf8.decode(plain)));
    } catch {
      this.log.warn({ from: frame.from.username }, 'dropping an envelope with an unreadable payload');
      return null;
    }
    if (payload.messageId !== frame.messageId || payload.from !== frame.from.username) {
      this.log.warn({ from: frame.from.username }, 'dropping an envelope whose payload does not match its routing');
      return null;
    }
    return payload;
  }

  /**
   * A message that does not decrypt is never dropped in silence: a placeholder shows where it
   * belongs (with its sender), and the sending device is asked, over a fresh session, to send it again.
   */
  private undecryptable(frame: Extract<EnvelopeFrame, { kind: 'message' }>, reason: string): Outcome[] {
    const { from } = frame;
    const now = Date.now();
    // Asked already (the same envelope again, or a forged one under its id): once is enough.
    if (!this.ledger.ask(frame.messageId, { device: from.device, username: from.username, serverTime: frame.serverTime }, now)) return [];
    this.log.warn({ from: from.username, reason }, 'a message could not be decrypted; asking for it again');
    const fresh = now - (this.freshSessionAt.get(from.device) ?? 0) > FRESH_SESSION_EVERY_MS;
    if (fresh) this.freshSessionAt.set(from.device, now);
    this.enqueuePayload([from.username], { kind: 'resend-request', messageIds: [frame.messageId] }, undefined, {
      device: from.device,
      fresh,
    });
    if (frame.from.username === this.username) return [];
    const peer = frame.from.username;
    this.history.ensureConversation({ id: peer, kind: 'direct', title: peer, members: [this.username, peer] }, frame.serverTime);
    const placeholder: ChatMessage = {
      id: frame.messageId,
      conversationId: peer,
      sender: peer,
      outgoing: false,
      kind: 'undecryptable',
      text: '',
      event: null,
      sentAt: frame.serverTime,
      serverTime: frame.serverTime,
      state: 'delivered',
    };
    return this.history.addMessage(placeholder, { read: false }) ? [{ message: placeholder, isNew: true }] : [];
  }

  /** Where a payload belongs from this account's side; null when the sender may not write there. */
  private conversationFor(chat: ChatRef, from: string): string | null {
    const own = from === this.username;
    if (chat.type === 'direct') {
      if (own) return chat.peer;
      return chat.peer === this.username ? from : null;
    }
    const group = this.history.conversation(chat.id);
    // A removed member's messages, or messages for a group this account left, are not shown.
    if (!group || group.kind !== 'group' || !group.active || !group.members.includes(from)) return null;
    return chat.id;
  }

  /**
   * One envelope in its own savepoint. A storage failure aborts the batch (nothing is acked, the
   * relay sends it all again); anything else is this envelope's alone: it must not stop the ones
   * behind it from ever being stored.
   */
  private receiveOne(frame: EnvelopeFrame): Outcome[] {
    try {
      return this.history.batch(() => this.receive(frame));
    } catch (err) {
      if (err instanceof Database.SqliteError) throw err;
      this.log.error({ err, from: frame.from.username }, 'dropping an envelope that could not be handled');
      return [];
    }
  }

  /** What changed, if anything. Runs inside a history transaction. */
  private receive(frame: EnvelopeFrame): Outcome[] {
    if (frame.kind === 'delivered') {
      // Only a receipt from a member of the conversation counts, and only for our own message.
      const mine = this.history.message(frame.messageId);
      if (!mine?.outgoing || !this.history.conversation(mine.conversationId)?.members.includes(frame.from.username)) return [];
      const advanced = this.history.advance(frame.messageId, 'delivered');
      return advanced ? [{ message: advanced, isNew: false }] : [];
    }
    const { from } = frame;
    // Redelivered (the ack was lost): its keys are used up, and what it said is stored already.
    if (this.ledger.wasReceived(from.device, frame.messageId)) return [];
    if (!this.directory.knows(from.username, from.device)) {
      this.log.warn({ from: from.username }, 'dropping a message from a device its account does not certify');
      return [];
    }
    if (frame.sealed.kind !== 'ratchet') return this.undecryptable(frame, 'not a ratchet message');
    let plain: Uint8Array;
    try {
      plain = this.sessions.decrypt(from.device, frame.sealed, Date.now());
    } catch (err) {
      if (!(err instanceof DecryptError)) throw err;
      return this.undecryptable(frame, err.message);
    }
    // Only now: garbage sent ahead under a real message's id must not make the real one look seen.
    this.ledger.received(from.device, frame.messageId, Date.now());
    const payload = this.parsePayload(plain, frame);
    return payload ? this.receivePayload(payload, frame.serverTime, from.device) : [];
  }

  private resendable(payloadJson: string): boolean {
    const kind = (JSON.parse(payloadJson) as { kind?: unknown }).kind;
    return typeof kind === 'string' && RESENDABLE.has(kind as Payload['kind']);
  }

  /** Sends the asked-for messages again to the one device that asked, if it was one they were sealed for. */
  private answerResend(payload: Extract<Payload, { kind: 'resend-request' }>, device: string): Outcome[] {
    for (const messageId of payload.messageIds) {
      const key = `${device}:${messageId}`;
      const times = this.resends.get(key) ?? 0;
      if (times >= MAX_RESENDS) continue;
      if (this.resends.size >= 10_000) this.resends.clear();
      this.resends.set(key, times + 1);
      const sent = this.ledger.sent(messageId);
      // A device linked since, or anyone else, gets nothing: a resend never widens who can read a message.
      const allowed = sent?.devices.includes(device) === true;
      this.enqueuePayload(
        [payload.from],
        { kind: 'resent', original: { messageId, payload: allowed ? sent.payload : null } },
        undefined,
        { device, fresh: false },
      );
    }
    return [];
  }

  /**
   * A message sent again, by the device it was asked of: it takes its placeholder's place (which
   * may be in another conversation), at the relay's time of the original.
   */
  private receiveResent(payload: Extract<Payload, { kind: 'resent' }>, device: string): Outcome[] {
    const { original } = payload;
    const asked = this.ledger.asked(original.messageId);
    if (!asked || asked.device !== device || asked.username !== payload.from) return [];
    this.ledger.answered(original.messageId);
    if (original.payload === null) return [];
    let inner: Payload;
    try {
      inner = Payload.parse(JSON.parse(original.payload));
    } catch {
      return [];
    }
    // Only what this sender wrote, under the id it was asked for; never a resend of a resend.
    if (inner.from !== payload.from || inner.messageId !== original.messageId || !RESENDABLE.has(inner.kind)) return [];
    const placeholderIn = this.history.removePlaceholder(original.messageId);
    const outcomes = this.receivePayload(inner, asked.serverTime, device);
    const movedTo = outcomes.find((o): o is { message: ChatMessage; isNew: boolean } => 'message' in o && o.message.id === original.messageId);
    const gone: Outcome[] =
      placeholderIn !== undefined && movedTo?.message.conversationId !== placeholderIn
        ? [{ removed: { conversationId: placeholderIn, id: original.messageId } }]
        : [];
    return [...gone, ...outcomes];
  }

  /**
   * A group's messages can arrive before this device knows the group (a device just linked, its
   * contacts still on the way): they are held, and replayed once the group becomes known.
   */
  private holdIfUnknownGroup(groupId: string, payload: Payload, serverTime: number): boolean {
    if (this.history.conversation(groupId)) return false;
    this.history.hold(groupId, payload.messageId, JSON.stringify(payload), serverTime);
    return true;
  }

  private replayHeld(groupId: string): Outcome[] {
    return this.history
      .takeHeld(groupId)
      .flatMap((held) => this.receivePayload(Payload.parse(JSON.parse(held.payload)), held.serverTime));
  }

  private receivePayload(payload: Payload, serverTime: number, device = ''): Outcome[] {
    const own = payload.from === this.username;
    switch (payload.kind) {
      case 'resend-request':
        return this.answerResend(payload, device);
      case 'resent':
        return this.receiveResent(payload, device);
      case 'text': {
        if (payload.chat.type === 'group' && this.holdIfUnknownGroup(payload.chat.id, payload, serverTime)) return [];
        const conversationId = this.conversationFor(payload.chat, payload.from);
        if (!conversationId) return [];
        if (payload.chat.type === 'direct') {
          this.history.ensureConversation({ id: conversationId, kind: 'direct', title: conversationId, members: [this.username, conversationId] }, serverTime);
        }
        const message: ChatMessage = {
          id: payload.messageId,
          conversationId,
          sender: payload.from,
          outgoing: own,
          kind: 'text',
          text: payload.text,
          event: null,
          sentAt: payload.sentAt,
          serverTime: serverTime,
          state: own ? 'sent' : 'delivered',
        };
        return this.history.addMessage(message, { read: own }) ? [{ message, isNew: true }] : [];
      }
      case 'group': {
        const line = applyGroupChange(this.history, this.username, {
          groupId: payload.group,
          name: payload.name,
          members: payload.members,
          action: payload.action,
          subjects: payload.subjects,
          actor: payload.from,
          messageId: payload.messageId,
          sentAt: payload.sentAt,
          serverTime: serverTime,
        });
        if (!line) {
          // Not for this device yet, perhaps: a change to a group it is about to learn of.
          this.holdIfUnknownGroup(payload.group, payload, serverTime);
          return [];
        }
        return [{ message: line, isNew: true }, ...this.replayHeld(payload.group)];
      }
      case 'read': {
        const conversationId = this.conversationFor(payload.chat, payload.from);
        if (!conversationId) return [];
        if (own) {
          // Read on another of this account's devices: no longer unread here.
          return this.history.markMessagesRead(payload.messageIds) > 0 ? [{ conversationOnly: conversationId }] : [];
        }
        return payload.messageIds
          .map((id) => this.history.message(id))
          .filter((m): m is ChatMessage => m?.outgoing === true && m.conversationId === conversationId)
          .map((m) => this.history.advance(m.id, 'read'))
          .filter((m): m is ChatMessage => m !== undefined)
          .map((message) => ({ message, isNew: false }));
      }
      case 'contacts': {
        if (!own) return [];
        const now = serverTime;
        for (const peer of payload.direct) {
          this.history.ensureConversation({ id: peer, kind: 'direct', title: peer, members: [this.username, peer] }, now);
        }
        const replayed: Outcome[] = [];
        for (const group of payload.groups) {
          this.history.ensureConversation({ id: group.id, kind: 'group', title: group.name, members: group.members }, now);
          replayed.push(...this.replayHeld(group.id));
        }
        return [...[...payload.direct, ...payload.groups.map((g) => g.id)].map((id) => ({ conversationOnly: id })), ...replayed];
      }
      case 'typing':
        return [];
    }
  }

  private receiveEphemeral(frame: EphemeralFrame): void {
    if (frame.sealed.kind !== 'box' || !this.directory.knows(frame.from.username, frame.from.device)) return;
    const plain = this.box.open(frame.sealed, frame.from.device);
    const payload = plain === null ? null : this.parsePayload(utf8.encode(plain), frame);
    if (payload?.kind !== 'typing' || payload.from === this.username) return;
    // A box has no ratchet to stop a replay: an old "typing" captured by the relay is ignored.
    if (Math.abs(Date.now() - payload.sentAt) > TYPING_FRESH_MS) return;
    const conversationId = this.conversationFor(payload.chat, payload.from);
    // Only in conversations this account has: a stranger's typing is no news.
    if (conversationId && this.history.conversation(conversationId)) {
      this.emit('typing', { conversationId, username: payload.from, typing: payload.typing });
    }
  }
}

/** Worth sending again later: the link, the clock or the relay failed, not the message. */
type Outcome = { message: ChatMessage; isNew: boolean } | { conversationOnly: string } | { removed: { conversationId: string; id: string } };

function isRetryable(err: unknown): boolean {
  return (
    err instanceof RelayError && (err.code === 'offline' || err.code === 'timeout' || err.code === 'internal' || err.code === 'rate_limited')
  );
}

/** A new device's first prekeys: the secrets are stored in its history before the public halves go to the relay. */
function firstPreKeys(dir: string, identity: IdentityKeyPair, key: HistoryKey) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const history = new History(path.join(dir, HISTORY_FILE), key);
  try {
    return new PreKeyStore(history.database, identity).initial(Date.now());
  } finally {
    history.close();
  }
}

function defaultLogger(): Logger {
  return pino({ level: process.env.WARBLER_LOG_LEVEL ?? 'warn', name: 'warbler' }, pino.destination(2));
}
