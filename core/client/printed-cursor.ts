// Which received messages the CLI has printed: a cursor over the history's receive sequence, kept
// in the profile itself, so that a message is printed once whichever Warbler process of this
// profile received it (send, sync, the web host, the desktop app). At least once, never lost: the
// cursor moves only after the caller has written the lines out, so a crash in between prints them
// again, under the same ids. History migration 4 sets the cursor, at the end of what the history
// held then: a new profile prints all it receives, an upgraded one only what arrives from then on.
import type { ChatMessage } from '../../shared/ipc.js';
import type { History } from '../history.js';

/** The receive seq of the last message printed, or passed over as not received. */
export const PRINTED_SETTING = 'cli.printed';

export interface PrintedPage {
  /** The received messages among the next stored ones, oldest first (possibly none). */
  messages: ChatMessage[];
  /** Where the cursor goes once they are out: past the page's lines that are not printed too. */
  through: number;
}

export interface PrintedCursorDeps {
  history: Pick<History, 'messagesAfter' | 'lastMessageSeq' | 'setting' | 'setSetting'>;
}

export class PrintedCursor {
  constructor(private readonly d: PrintedCursorDeps) {}

  /** The next stored messages after the cursor (at most `limit` looked at); undefined when there are none. */
  next(limit: number): PrintedPage | undefined {
    const rows = this.d.history.messagesAfter(this.position(), limit);
    const last = rows.at(-1);
    if (!last) return undefined;
    // What came through the relay: a contact's message or group change, a placeholder for one that
    // did not decrypt yet, what this account's other devices sent. Not what this device wrote itself,
    // nor a local note (a contact's key changed).
    return { messages: rows.filter((r) => r.fromRelay).map((r) => r.message), through: last.seq };
  }

  /** Moves the cursor forward to `through` (from next()); never back. */
  advance(through: number): void {
    if (!Number.isSafeInteger(through) || through > this.d.history.lastMessageSeq()) {
      // Past the end, it would silently skip the messages stored next.
      throw new RangeError(`no stored message has the receive seq ${through}`);
    }
    if (through > this.position()) this.d.history.setSetting(PRINTED_SETTING, String(through));
  }

  private position(): number {
    const value = this.d.history.setting(PRINTED_SETTING) ?? '';
    if (!/^\d{1,15}$/.test(value)) throw new Error(`the profile's ${PRINTED_SETTING} setting is not a message sequence`);
    return Number(value);
  }
}
