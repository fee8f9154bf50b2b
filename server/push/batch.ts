// Write batching for fan-out: while publishes come in a stream, the pushes of one turn of the event
// loop leave each subscriber's socket in one system call, not one per push; a lone publish is
// written at once, so that its first subscribers need not wait for its last.

/** A stream whose writes can be held back and let go together (net.Socket, http.ServerResponse). */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * Publishes that arrive together are all handled in the loop's poll phase; held streams are let go
 * in the check phase right after it. A fan-out's writes are held when another fan-out came before
 * it in the same turn, or in the turn before (publishes are streaming in); otherwise they go now.
 */
export class WriteBatch {
  private held = new Set<Corkable>();
  private pending: NodeJS.Immediate | null = null;
  /** Fan-outs since the last check phase. */
  private fanOuts = 0;
  /** The last turn had fan-outs: more are likely in this one. */
  private streaming = false;

  /** A fan-out begins: whether its writes are to be held. */
  begin(): boolean {
    this.fanOuts++;
    this.pending ??= setImmediate(() => this.flush());
    return this.streaming || this.fanOuts > 1;
  }

  hold(stream: Corkable): void {
    if (this.held.has(stream)) return;
    stream.cork();
    this.held.add(stream);
  }

  /** Lets every held stream go, for good (the hub is stopping). */
  close(): void {
    if (this.pending) clearImmediate(this.pending);
    this.pending = null;
    this.streaming = false;
    this.fanOuts = 0;
    this.release();
  }

  private flush(): void {
    this.pending = null;
    this.streaming = this.fanOuts > 0;
    this.fanOuts = 0;
    this.release();
    // One more check phase tells whether the stream of publishes goes on.
    if (this.streaming) this.pending = setImmediate(() => this.flush());
  }

  private release(): void {
    const held = this.held;
    this.held = new Set();
    for (const stream of held) stream.uncork();
  }
}
