// Write batching for fan-out: a burst of publishes handled in one turn of the event loop leaves
// each subscriber's socket in one system call, not one per push.

/** A stream whose writes can be held back and let go together (net.Socket, http.ServerResponse). */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * Holds the streams it is given until the event loop's check phase, then lets their writes go.
 * Publishes that arrive together are all handled in the loop's poll phase, before that: their
 * pushes to one subscriber are written together. A lone publish waits for nothing but itself.
 */
export class WriteBatch {
  private held = new Set<Corkable>();
  private pending: NodeJS.Immediate | null = null;

  hold(stream: Corkable): void {
    if (this.held.has(stream)) return;
    stream.cork();
    this.held.add(stream);
    this.pending ??= setImmediate(() => this.flush());
  }

  flush(): void {
    if (this.pending) clearImmediate(this.pending);
    this.pending = null;
    const held = this.held;
    this.held = new Set();
    for (const stream of held) stream.uncork();
  }
}
