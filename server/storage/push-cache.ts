// The push cache: pushes kept per topic until they expire, so a subscriber that was away catches up.
import type { PushMessage } from '../push/message.js';

/** Which cached pushes a subscriber wants: after a message id, or from a time (Unix s). */
export type PushSince = { afterId: string } | { fromTime: number } | { latest: true };

export interface PushCache {
  /** Caches a push until its `expires`. */
  storePush(message: PushMessage): Promise<void>;
  /** Cached pushes of these topics that are due by `nowS`, oldest first. */
  pushes(topics: string[], since: PushSince, nowS: number, limit: number): Promise<PushMessage[]>;
  /** Pushes not due yet (delayed), to schedule again after a restart. */
  scheduledPushes(nowS: number): Promise<PushMessage[]>;
  /** Deletes pushes whose `expires` has passed; returns how many. */
  expirePushes(nowS: number): Promise<number>;
}
