// Push topic names and keys, checked before asking core (shared/push-topic-key.ts has the patterns
// the contract's PushTopic uses).
import { LOCAL_TOPIC_PATTERN, TOPIC_KEY_PATTERN } from '../../../shared/push-topic-key.js';

/** A topic's name on this relay. */
export const TOPIC_PATTERN = LOCAL_TOPIC_PATTERN;

/** Spaces around a pasted name are not part of it; anything else that does not match is refused. */
export function normalizeTopic(input: string): string | null {
  const topic = input.trim();
  return TOPIC_PATTERN.test(topic) ? topic : null;
}

/** A topic of this relay by name, or of another server as host/name. */
export function isTopicKey(key: string): boolean {
  return key.length <= 330 && TOPIC_KEY_PATTERN.test(key);
}
