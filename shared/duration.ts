import { z } from 'zod';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "45m", "12h", "30d" or plain milliseconds → milliseconds. */
export const Duration = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(String(value));
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'a duration is a number with ms, s, m, h or d (e.g. 30d)' });
      return z.NEVER;
    }
    return Math.round(Number(match[1]) * UNITS[match[2] ?? 'ms']!);
  })
  .pipe(z.number().int().positive());

const DAY = 86_400_000;
const NAMED: [number, 'week' | 'day' | 'hour' | 'minute' | 'second'][] = [
  [7 * DAY, 'week'],
  [DAY, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
];

/** A span in the largest unit that divides it ("1 hour", "4 weeks"), seconds when none does. */
export function largestUnit(ms: number): { count: number; unit: (typeof NAMED)[number][1] } {
  const [size, unit] = NAMED.find(([size]) => ms % size === 0) ?? [1000, 'second'];
  return { count: ms / size, unit };
}
