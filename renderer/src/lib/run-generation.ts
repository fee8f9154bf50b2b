// Whether the held run of messages is still the one on screen. The virtualized list keeps the
// reader's place by the messages' keys across a page loaded above or let go of at either end;
// a run replaced by one with nothing in common (a jump to a search result far back) is a new
// list, opened afresh where it should open.
import type { ChatMessage } from '../../../shared/ipc.js';

export interface Run {
  /** Changes when the run was replaced by one with nothing in common: the list starts over. */
  generation: number;
  messages: readonly ChatMessage[];
}

export function nextRun(previous: Run | null, messages: readonly ChatMessage[]): Run {
  if (previous === null) return { generation: 0, messages };
  if (previous.messages === messages) return previous;
  const was = previous.messages[0];
  const now = messages[0];
  const shared =
    was !== undefined &&
    now !== undefined &&
    (was.id === now.id || messages.some((m) => m.id === was.id) || previous.messages.some((m) => m.id === now.id));
  return shared ? { generation: previous.generation, messages } : { generation: previous.generation + 1, messages };
}
