// Which received messages the CLI has printed: a cursor over the history's receive sequence, kept
// in the profile itself, so that a message is printed once whichever Warbler process of this
// profile received it (send, sync, the web host, the desktop app). At least once, never lost: the
// cursor moves only after the caller has written the lines out, so a crash in between prints them
// again, under the same ids. History migration 4 sets the cursor, at the end of what the history
// held then: a new profile prints all it receives, an upgraded one only what arrives from then on.
// Reactions, edits and deletions have a cursor of their own over the log of actions (history
// migration 8); a page holds messages, or when none are left, actions, so an action prints after
// the message it is about.
import type { ChatMessage } from '../../shared/ipc.js';
import type { History } from '../history.js';
import type { LoggedAction, MessageActionStore } from '../message-actions/store.js';

/** The receive seq of the last message printed, or passed over as not received. */
export const PRINTED_SETTING = 'cli.printed';
/** The seq of the last action printed, or passed over as written here. */
export const PRINTED_ACTIONS_SETTING = 'cli.printedActions';

export interface PrintedPage {
  /** The received messages among the next stored ones, oldest first (possibly none). */
  messages: ChatMessage[];
  /** The received actions among the next logged ones, once no message is left (possibly none). */
  actions: LoggedAction[];
  /** Where the cursors go once they are out: past the page's lines that are not printed too. */
  through: { messages: number; actions: number };
}

export interface PrintedCursorDeps {
  history: Pick<History, 'messagesAfter' | 'lastMessageSeq' | 'setting' | 'setSetting'>;
  actions: Pick<MessageActionStore, 'after' | 'lastSeq'>;
}

export class PrintedCursor {
  constructor(private readonly d: PrintedCursorDeps) {}

  /** The next stored messages (or actions) after the cursor, at most `limit` looked at; undefined when there are none. */
  next(limit: number): PrintedPage | undefined {
    const at = { messages: this.position(PRINTED_SETTING), actions: this.position(PRINTED_ACTIONS_SETTING) };
    const rows = this.d.history.messagesAfter(at.messages, limit);
    const last = rows.at(-1);
    // What came through the relay: a contact's message or group change, a placeholder for one that
    // did not decrypt yet, what this account's other devices sent. Not what this device wrote itself,
    // nor a local note (a contact's key changed).
    if (last) return { messages: rows.filter((r) => r.fromRelay).map((r) => r.message), actions: [], through: { ...at, messages: last.seq } };
    const logged = this.d.actions.after(at.actions, limit);
    const lastAction = logged.at(-1);
    if (!lastAction) return undefined;
    return { messages: [], actions: logged.filter((r) => r.fromRelay).map((r) => r.action), through: { ...at, actions: lastAction.seq } };
  }

  /** Moves the cursors forward to `through` (from next()); never back. */
  advance(through: PrintedPage['through']): void {
    this.move(PRINTED_SETTING, through.messages, this.d.history.lastMessageSeq());
    this.move(PRINTED_ACTIONS_SETTING, through.actions, this.d.actions.lastSeq());
  }

  private move(setting: string, to: number, last: number): void {
    if (!Number.isSafeInteger(to) || to > last) {
      // Past the end, it would silently skip what is stored next.
      throw new RangeError(`nothing stored has the seq ${to} (${setting})`);
    }
    if (to > this.position(setting)) this.d.history.setSetting(setting, String(to));
  }

  private position(setting: string): number {
    const value = this.d.history.setting(setting) ?? '';
    if (!/^\d{1,15}$/.test(value)) throw new Error(`the profile's ${setting} setting is not a sequence`);
    return Number(value);
  }
}
