import type { AccountDevices, Bundle, PreKeyUpload, SignedPreKey } from '../../shared/protocol.js';
import type { PushMessage } from '../push/message.js';

/** Which cached pushes a subscriber wants: after a message id, or from a time (Unix s). */
export type PushSince = { afterId: string } | { fromTime: number } | { latest: true };

// What the relay needs from storage. SQLite implements it on one machine; the interface is
// asynchronous so a networked database can implement it too.

export interface Device {
  identityKey: string;
  username: string;
  createdAt: number;
}

export interface StoredMessageEnvelope {
  seq: number;
  kind: 'message';
  messageId: string;
  fromUsername: string;
  fromDevice: string;
  serverTime: number;
  /** The sealed copy's JSON, exactly as the sender gave it (the relay cannot read it). */
  sealed: string;
}

export interface StoredReceiptEnvelope {
  seq: number;
  kind: 'delivered';
  messageId: string;
  fromUsername: string;
  fromDevice: string;
  serverTime: number;
}

export type StoredEnvelope = StoredMessageEnvelope | StoredReceiptEnvelope;

export interface NewMessage {
  messageId: string;
  fromUsername: string;
  fromDevice: string;
  serverTime: number;
  /** One sealed copy (its JSON) per target device. */
  copies: { device: string; sealed: string }[];
}

export type StoreMessageResult =
  | { stored: true; serverTime: number; devices: string[] }
  | { stored: false; duplicate: true; serverTime: number };

export type RegisterResult = { ok: true } | { ok: false; reason: 'username_taken' | 'device_exists' };

/** A new device: its key, the account key's certificate for it, and its first prekeys. */
export interface NewDevice {
  identityKey: string;
  certificate: string;
  preKeys: PreKeyUpload & { signedPreKey: SignedPreKey };
}

export interface RelayStorage {
  registerAccount(username: string, accountKey: string, device: NewDevice, now: number): Promise<RegisterResult>;
  deviceByKey(identityKey: string): Promise<Device | undefined>;
  /** Current devices of an account; empty when the account does not exist. */
  devicesOf(username: string): Promise<string[]>;
  /** The account key and its certified devices; undefined when there is no such account. */
  account(username: string): Promise<AccountDevices | undefined>;
  /** Replaces the signed prekey (when given) and adds one-time prekeys; returns how many one-time prekeys the device has. */
  storePreKeys(device: string, upload: PreKeyUpload): Promise<number>;
  preKeyCount(device: string): Promise<number>;
  /**
   * Prekey bundles of these devices of the account (unknown devices are left out). Each one-time
   * prekey handed out is deleted: nobody gets it twice. `remaining`: one-time prekeys left per device.
   */
  takeBundles(username: string, devices: string[]): Promise<{ bundles: Bundle[]; remaining: Record<string, number> }>;
  /** Unlinks a device: it, its queue and its prekeys are deleted. False when it is not this account's. */
  removeDevice(username: string, device: string): Promise<boolean>;
  /** Deletes an account, its devices, queues and prekeys so the username can be registered again. */
  resetAccount(username: string): Promise<boolean>;
  /** Stores every copy atomically; a repeat of (fromDevice, messageId) stores nothing. */
  storeMessage(message: NewMessage): Promise<StoreMessageResult>;
  /** Envelopes of one device after `afterSeq`, in order. */
  pending(device: string, afterSeq: number, limit: number): Promise<StoredEnvelope[]>;
  /**
   * Deletes acked envelopes of that device. For each acked message from another account, queues
   * a `delivered` receipt to the sender's devices (unless the recipient hides its presence: a
   * receipt would show it online); returns those devices so they can be woken.
   */
  ack(device: string, seqs: number[], now: number): Promise<{ removed: number; notify: string[] }>;
  /**
   * Deletes envelopes queued before `before` (all devices, or one), counting per device what
   * expired, so the device can be told when it next logs in. Returns how many expired.
   */
  expire(before: number, device?: string): Promise<number>;
  /** How many envelopes of this device expired since it was last told; resets the count. */
  takeExpired(device: string): Promise<number>;
  /** Adds a device to an existing account (device linking). */
  addDevice(username: string, device: NewDevice, now: number): Promise<RegisterResult>;
  /**
   * Records that `writer` has written to these people. Presence is consent: someone sees your
   * presence only once you have written to them.
   */
  addContacts(writer: string, readers: string[]): Promise<void>;
  /** Who `username` has written to: they may see its presence. */
  audienceOf(username: string): Promise<string[]>;
  /** Who has written to `username`: it may see their presence. */
  writersTo(username: string): Promise<string[]>;
  setLastSeen(username: string, at: number | null): Promise<void>;
  lastSeen(username: string): Promise<number | null>;
  /** The account hides its presence (and last seen, and delivery receipts) from everyone. */
  setHidden(username: string, hidden: boolean): Promise<void>;
  isHidden(username: string): Promise<boolean>;
  /** The relay's own signing key, made by `create` the first time. */
  relayIdentity(create: () => { publicKey: string; secretKey: string }): Promise<{ publicKey: string; secretKey: string }>;
  /** Caches a push until its `expires`. */
  storePush(message: PushMessage): Promise<void>;
  /** Cached pushes of these topics that are due by `nowS`, oldest first. */
  pushes(topics: string[], since: PushSince, nowS: number, limit: number): Promise<PushMessage[]>;
  /** Pushes not due yet (delayed), to schedule again after a restart. */
  scheduledPushes(nowS: number): Promise<PushMessage[]>;
  /** Deletes pushes whose `expires` has passed; returns how many. */
  expirePushes(nowS: number): Promise<number>;
  /** A push API user, with its password hash (Argon2id string). */
  pushUser(name: string): Promise<{ name: string; role: 'admin' | 'user'; passwordHash: string } | undefined>;
  /** The user an access token (by its hash) belongs to, unless it expired. */
  pushUserByToken(tokenHash: string, nowS: number): Promise<{ name: string; role: 'admin' | 'user' } | undefined>;
  /** A user's (or everyone's, '*') per-topic rules. */
  pushRules(name: string): Promise<{ topic: string; permission: 'read-write' | 'read-only' | 'write-only' | 'deny' }[]>;
  /** Adds a user, or changes its password and role. */
  savePushUser(name: string, passwordHash: string, role: 'admin' | 'user'): Promise<void>;
  /** Deletes a user with its tokens and rules; false when there is none. */
  removePushUser(name: string): Promise<boolean>;
  addPushToken(name: string, tokenHash: string, label: string, expiresS: number | null): Promise<void>;
  /** Sets the rule for a user (or '*') and topic (or topic prefix ending in *). */
  setPushRule(name: string, topic: string, permission: 'read-write' | 'read-only' | 'write-only' | 'deny'): Promise<void>;
  /** Forgets send ids older than `before` (a retry comes within minutes, not weeks). */
  pruneSent(before: number): Promise<number>;
  close(): Promise<void>;
}
