// The levels WARBLER_LOG_LEVEL may name, for the relay and the client alike: pino's, and silent.
import { z } from 'zod';

export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
export type LogLevel = z.infer<typeof LogLevel>;

/**
 * A level as a person may write it (any case, spaces around), or `fallback` when it is unset or not
 * a level: for a process that must not fail to start over its log (the relay refuses a bad one).
 */
export function logLevelOr(value: string | undefined, fallback: LogLevel): LogLevel {
  const parsed = LogLevel.safeParse(value?.trim().toLowerCase());
  return parsed.success ? parsed.data : fallback;
}
