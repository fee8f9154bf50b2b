// Figures over samples, shared by the benchmarks.

/** The p-th percentile of samples sorted ascending (nearest rank); NaN with none. */
export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
