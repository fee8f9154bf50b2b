// Per-device queues: each envelope waits for its device until that device acks it (or it expires).

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

/** An envelope just queued, and the device it waits for: handed to that device's session at once. */
export interface Queued {
  device: string;
  envelope: StoredEnvelope;
}

export interface NewMessage {
  messageId: string;
  fromUsername: string;
  fromDevice: string;
  serverTime: number;
  /** One sealed copy (its JSON) per target device, and the account the device belongs to. */
  copies: { device: string; owner: string; sealed: string }[];
}

/** What the relay keeps waiting for one device at most; receipts are not counted. */
export interface QueueLimits {
  messages: number;
  /** The sealed copies' bytes. */
  bytes: number;
}

export type StoreMessageResult =
  | { stored: true; serverTime: number; queued: Queued[] }
  | { stored: false; duplicate: true; serverTime: number }
  /** Nothing stored: for each of these accounts (the sender's own aside), every device's queue is full. */
  | { stored: false; duplicate: false; full: string[] };

export interface QueueStore {
  /**
   * Stores every copy atomically; a repeat of (fromDevice, messageId) stores nothing. A copy for a
   * device whose queue is full is left out and counted as refused for that device (its queue keeps
   * its oldest messages); when that leaves one of the recipient accounts with no copy at all,
   * nothing is stored, so that the sender hears of it and the message is not half sent.
   */
  storeMessage(message: NewMessage, limits: QueueLimits): Promise<StoreMessageResult>;
  /** Envelopes of one device after `afterSeq`, in order. */
  pending(device: string, afterSeq: number, limit: number): Promise<StoredEnvelope[]>;
  /**
   * Deletes acked envelopes of that device. For each acked message from another account, queues
   * a `delivered` receipt to the sender's devices (unless the recipient hides its presence: a
   * receipt would show it online, or `noReceipt` names its seq: its sender is blocked); returns
   * the receipts queued. One transaction.
   */
  ack(device: string, seqs: number[], now: number, noReceipt?: ReadonlySet<number>): Promise<{ removed: number; queued: Queued[] }>;
  /**
   * Deletes envelopes queued before `before` (all devices, or one), counting per device what
   * expired, so the device can be told when it next logs in. Returns how many expired.
   */
  expire(before: number, device?: string): Promise<number>;
  /**
   * At a device's login, in one write: expires its envelopes queued before `expireBefore`, then
   * takes what it missed since it was last told (expired, and refused while its queue was full),
   * resetting both counts.
   */
  takeMissed(device: string, expireBefore: number): Promise<{ expired: number; refused: number }>;
  /** Forgets send ids older than `before` (a retry comes within minutes, not weeks). */
  pruneSent(before: number): Promise<number>;
}
