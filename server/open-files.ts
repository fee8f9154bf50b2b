// The relay holds a file descriptor per connection, so its open-file limit caps how many clients it
// serves. Node raises its own soft limit to the hard limit as it starts (on Linux and macOS); what
// is left is the hard limit, which only the machine's operator can raise: the relay says what it
// has, and warns when that is low.
import fs from 'node:fs';

/** Below this, a relay reaches the limit with a few thousand clients: worth a warning. */
export const LOW_OPEN_FILES = 8192;

export interface Limits {
  soft: number;
  hard: number;
}

/** A process's open-file limits, from /proc (Infinity for "unlimited"); null where there is none. */
export function openFileLimits(pid: number | 'self' = 'self'): Limits | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/limits`, 'utf8');
  } catch {
    return null;
  }
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(text);
  if (!match) return null;
  const value = (v: string) => (v === 'unlimited' ? Infinity : Number(v));
  return { soft: value(match[1]!), hard: value(match[2]!) };
}
