// Calls to one database function that arrive while earlier ones are still out go together, as one
// call with arrays: under load, a node's sends (or acks) of a moment cost one round trip and one
// commit instead of one each. Quiet, a call goes out at the end of the turn it was made in, so
// batching adds no wait of its own: calls pile up only while `running` batches are out.

export interface CallBatchLimits {
  /** Batches out at once; the pool's other users keep the rest of its connections. */
  running: number;
  /** Calls in one batch at most. */
  size: number;
  /** What one batch weighs at most (by `weigh`: a send's sealed copies), unless one call alone weighs more. */
  weight?: number;
}

interface Waiting<In, Out> {
  input: In;
  weight: number;
  resolve: (output: Out) => void;
  reject: (error: unknown) => void;
}

export class CallBatches<In, Out> {
  private readonly waiting: Waiting<In, Out>[] = [];
  private running = 0;
  private scheduled = false;

  /**
   * `run` answers one output per input, in order, from one transaction: all or nothing.
   * `undone` tells an error after which nothing of the batch was kept (the database refused it),
   * so that each call can go again alone.
   */
  constructor(
    private readonly run: (inputs: readonly In[]) => Promise<Out[]>,
    private readonly limits: CallBatchLimits,
    private readonly undone: (error: unknown) => boolean,
    private readonly weigh: (input: In) => number = () => 0,
  ) {}

  call(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, weight: this.weigh(input), resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.start();
        });
      }
    });
  }

  private start(): void {
    while (this.running < this.limits.running && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.takes());
      this.running++;
      void this.settle(batch).finally(() => {
        this.running--;
        this.start();
      });
    }
  }

  /** How many of the waiting calls the next batch takes: at least one. */
  private takes(): number {
    const most = Math.min(this.limits.size, this.waiting.length);
    let weight = this.waiting[0]!.weight;
    let count = 1;
    while (count < most && weight + this.waiting[count]!.weight <= (this.limits.weight ?? Infinity)) weight += this.waiting[count++]!.weight;
    return count;
  }

  private async settle(batch: Waiting<In, Out>[]): Promise<void> {
    try {
      const outputs = await this.runChecked(batch.map((w) => w.input));
      batch.forEach((w, i) => w.resolve(outputs[i]!));
    } catch (error) {
      // Not known to be undone (a connection lost after the commit, an answer not understood):
      // sending the calls again could store them twice, or take a stored send for a repeat.
      if (batch.length === 1 || !this.undone(error)) {
        for (const w of batch) w.reject(error);
        return;
      }
      // The database refused the batch as a whole (one call's fault, or a deadlock with another
      // node): each call goes again alone, in order, so only the one at fault fails.
      for (const w of batch) {
        try {
          w.resolve((await this.runChecked([w.input]))[0]!);
        } catch (alone) {
          w.reject(alone);
        }
      }
    }
  }

  private async runChecked(inputs: readonly In[]): Promise<Out[]> {
    const outputs = await this.run(inputs);
    if (outputs.length !== inputs.length) throw new Error(`the database answered ${outputs.length} calls of ${inputs.length}`);
    return outputs;
  }
}
