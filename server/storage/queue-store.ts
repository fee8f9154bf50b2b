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

export interface QueueStore {
  /** Stores every copy atomically; a repeat of (fromDevice, messageId) stores nothing. */
  storeMessage(message: NewMessage): Promise<StoreMessageResult>;
  /** Envelopes of one device after `afterSeq`, in order. */
  pending(device: string, afterSeq: number, limit: number): Promise<StoredEnvelope[]>;
  /**
   * Deletes acked envelopes of that device. For each acked message from another account, queues
   * a `delivered` receipt to the sender's devices (unless the recipient hides its presence: a
   * receipt would show it online); returns those devices so they can be woken. One transaction.
   */
  ack(device: string, seqs: number[], now: number): Promise<{ removed: number; notify: string[] }>;
  /**
   * Deletes envelopes queued before `before` (all devices, or one), counting per device what
   * expired, so the device can be told when it next logs in. Returns how many expired.
   */
  expire(before: number, device?: string): Promise<number>;
  /** How many envelopes of this device expired since it was last told; resets the count. */
  takeExpired(device: string): Promise<number>;
  /** Forgets send ids older than `before` (a retry comes within minutes, not weeks). */
  pruneSent(before: number): Promise<number>;
}
