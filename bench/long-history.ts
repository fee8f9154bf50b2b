// A long conversation written straight into a profile's encrypted history, the way the client
// stores messages: sending 100,000 messages through a relay would take the bench minutes and say
// nothing about opening them. For the `open` bench and for the long-history e2e.
import path from 'node:path';
import { History } from '../core/history.js';
import { HISTORY_FILE } from '../core/profile.js';
import { historyKey } from '../core/vault/vault.js';

const BATCH = 10_000;

/** The id of message `i` of a long history: tests and the bench find its row by it. */
export const longMessageId = (i: number): string => `long-${i}`;

/**
 * `count` messages between `me` and `peer` in their direct conversation, numbered from 0 (the
 * oldest), a second apart and ending a minute before `endAt`. One in three is from `me`; one in
 * seven runs over several lines, so rows are not all one height.
 */
export async function writeLongHistory(profileDir: string, o: { me: string; peer: string; count: number; endAt: number }): Promise<void> {
  const key = await historyKey(profileDir, { kind: 'key-file' });
  const history = new History(path.join(profileDir, HISTORY_FILE), key);
  try {
    const start = o.endAt - 60_000 - o.count * 1000;
    history.ensureConversation({ id: o.peer, kind: 'direct', title: o.peer, members: [o.me, o.peer] }, start);
    const write = history.database.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const outgoing = i % 3 === 0;
        const text = i % 7 === 0 ? `Message ${i}\nwith more to say\non a few lines` : `Message ${i}`;
        const at = start + i * 1000;
        history.addMessage(
          {
            id: longMessageId(i), conversationId: o.peer, sender: outgoing ? o.me : o.peer, outgoing, kind: 'text', text,
            event: null, sentAt: at, serverTime: at, state: outgoing ? 'read' : 'delivered',
          },
          { read: true, fromRelay: !outgoing },
        );
      }
    });
    for (let from = 0; from < o.count; from += BATCH) write(from, Math.min(o.count, from + BATCH));
  } finally {
    history.close();
  }
}
