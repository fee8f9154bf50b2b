// Resident memory of a process, read from Linux's /proc.
import fs from 'node:fs';

/** The process's resident set in bytes; null where /proc cannot tell. */
export function rssBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}
