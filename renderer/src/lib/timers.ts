// The real clock for the pure state machines in lib/.
export const realClock = {
  now: (): number => Date.now(),
  schedule(fn: () => void, ms: number): () => void {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};
