// Push ids and a stream's control events; the message format itself is shared with the app.

export { MAX_MESSAGE_BYTES, PushAction, PushMessage, TOPIC_PATTERN, Topic } from '../../shared/push.js';

/** A stream's own events: the subscription is open, and it is still alive. */
export interface PushControlEvent {
  id: string;
  time: number;
  event: 'open' | 'keepalive';
  topic: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 12 random characters, as ntfy's ids. */
export function newPushId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
}
