// Frames to one socket leave together: what the relay writes to a connection while it handles one
// event (a group commit settling a thousand writes, and the results, envelopes and receipts that
// follow from them) is held until that event's promise jobs have run, then goes out in one system
// call, not one per frame. Released on process.nextTick, which runs once the current promise jobs
// are done, not at the next turn of the loop: no frame waits for other sockets' reads.
import type { Corkable } from '../push/batch.js';

export class TickCork {
  private held = new Set<Corkable>();
  private pending = false;

  /** Holds the stream's writes until the current event's promise jobs have run. */
  hold(stream: Corkable): void {
    if (this.held.has(stream)) return;
    stream.cork();
    this.held.add(stream);
    if (!this.pending) {
      this.pending = true;
      process.nextTick(() => this.release());
    }
  }

  /** Lets every held stream go now (the relay is stopping). */
  close(): void {
    this.release();
  }

  private release(): void {
    this.pending = false;
    const held = this.held;
    this.held = new Set();
    for (const stream of held) stream.uncork();
  }
}
