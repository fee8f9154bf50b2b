import { z } from 'zod';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** "15M", "100m", "5G", "512k" or plain bytes → bytes (powers of 1024, as ntfy reads its sizes). */
export const ByteSize = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?b?)\s*$/i.exec(String(value));
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'a size is a number of bytes, or a number with K, M or G (e.g. 15M)' });
      return z.NEVER;
    }
    return Math.round(Number(match[1]) * UNITS[match[2]!.toLowerCase()]!);
  })
  .pipe(z.number().int().positive());

/** Bytes for people: "15 MB", "1.5 GB", "812 KB" (powers of 1024). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}
