// Where the held run of messages sits in the conversation, as the virtualized list counts it. The
// list keeps the reader's place across a page loaded above (or let go of above) only when told how
// far the first row moved: the run's first message keeps its number, whatever comes and goes.
import type { ChatMessage } from '../../../shared/ipc.js';

/** Room to count down from: more pages than any history holds can be put above the first. */
export const FIRST_NUMBER = 1_000_000_000;

export interface Placement {
  /** The number of the run's first message (the list's firstItemIndex). */
  first: number;
  /** Changes when the run was replaced by one with nothing in common: the list starts over. */
  generation: number;
  messages: readonly ChatMessage[];
}

export function place(previous: Placement | null, messages: readonly ChatMessage[]): Placement {
  if (previous === null) return { first: FIRST_NUMBER, generation: 0, messages };
  if (previous.messages === messages) return previous;
  const was = previous.messages[0];
  const now = messages[0];
  if (was === undefined || now === undefined) {
    // From nothing, or to nothing: nothing on screen to keep in place.
    return { first: FIRST_NUMBER, generation: previous.generation + 1, messages };
  }
  if (was.id === now.id) return { ...previous, messages };
  const added = messages.findIndex((m) => m.id === was.id);
  if (added > 0) return { first: previous.first - added, generation: previous.generation, messages };
  const dropped = previous.messages.findIndex((m) => m.id === now.id);
  if (dropped > 0) return { first: previous.first + dropped, generation: previous.generation, messages };
  return { first: FIRST_NUMBER, generation: previous.generation + 1, messages };
}
