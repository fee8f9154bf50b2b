// A catch-up of cached pushes paced by its reader: written in slices, each after the reader has
// taken all but CATCH_UP_HIGH_WATER bytes of the one before. Thousands of cached pushes (20 MB)
// would otherwise sit in the relay's memory at once for a reader that reads slowly, or not at all.

/** A catch-up stops writing while more than this waits for the reader, and goes on once it has read. */
const CATCH_UP_HIGH_WATER = 256 * 1024;
/** Cached pushes written together before the catch-up looks whether the reader keeps up. */
const CATCH_UP_SLICE = 64;
/** How often a catch-up that waits looks again, should the output not say it has drained. */
const DRAIN_POLL_MS = 250;

/** What emits 'drain' once the bytes buffered for the reader have gone to the kernel. */
export interface Drainable {
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
}

export interface Reader {
  /** Bytes written and not yet handed to the kernel. */
  buffered(): number;
  output: Drainable;
  gone(): boolean;
}

/** Resolves once the reader has taken all but CATCH_UP_HIGH_WATER bytes, or is gone. */
async function readerCaughtUp(reader: Reader): Promise<void> {
  while (!reader.gone() && reader.buffered() > CATCH_UP_HIGH_WATER) {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        reader.output.off('drain', done);
        resolve();
      };
      const timer = setTimeout(done, DRAIN_POLL_MS);
      reader.output.once('drain', done);
    });
  }
}

/** Calls send for each item, in slices of CATCH_UP_SLICE held together by `hold`, paced by the reader. */
export async function pacedCatchUp<T>(items: readonly T[], send: (item: T) => void, hold: { cork(): void; uncork(): void }, reader: Reader): Promise<void> {
  for (let i = 0; i < items.length && !reader.gone(); ) {
    hold.cork();
    try {
      for (const end = Math.min(items.length, i + CATCH_UP_SLICE); i < end; i++) send(items[i]!);
    } finally {
      hold.uncork();
    }
    await readerCaughtUp(reader);
  }
}
