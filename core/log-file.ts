// The log file of a Warbler process that runs core/ for a person: the desktop app and the web
// host. pino JSON lines in <dir>/warbler.<n>.log; pino-roll starts the next number when a file
// reaches its size limit and removes the oldest beyond a few, so the folder stays small without
// anyone tending it. Size only, no daily file: a desktop app that is started every day would
// otherwise leave a file per day that pino-roll never prunes (it prunes only when it rolls).
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import pinoRoll from 'pino-roll';
import { logLevelOr, type LogLevel } from '../shared/log-level.js';
import { safeLoggerOptions } from './log-redact.js';
import { userDataDir } from './paths.js';

export const LOGS_DIR = 'logs';
/** pino-roll numbers it: warbler.1.log, warbler.2.log, … (the highest is the one being written). */
export const LOG_FILE = 'warbler.log';
const DEFAULT_LOG_SIZE = '5m';
/** Files kept in all, the one being written included: at most about 20 MB. */
const DEFAULT_LOG_KEEP = 4;

/** WARBLER_LOG_LEVEL; `info` when unset or not a level (the relay refuses to start with a bad one instead). */
export function logLevel(env: NodeJS.ProcessEnv = process.env): LogLevel {
  return logLevelOr(env.WARBLER_LOG_LEVEL, 'info');
}

/**
 * The web host's logs folder: the user data folder's logs/ for the default profile (the one the
 * desktop app uses too, so both write to the same place), and logs/ inside any other profile
 * folder, so two hosts of two profiles never roll the same files.
 */
export function webLogsDir(profileDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const data = userDataDir(env);
  return path.resolve(profileDir) === path.join(data, 'profile') ? path.join(data, LOGS_DIR) : path.join(path.resolve(profileDir), LOGS_DIR);
}

export interface LogFileOptions {
  /** The logs folder (made, private to this user, when missing). */
  dir: string;
  /** Default: WARBLER_LOG_LEVEL, else info. */
  level?: string;
  /** Which process writes: in every line, as `app`. */
  app: 'desktop' | 'web';
  /** Size of a file before the next one starts: pino-roll's units (k, m). */
  maxSize?: string;
  /** Files kept in all, the one being written included. */
  keep?: number;
}

export interface LogFile {
  readonly logger: Logger;
  /** The logs folder; null when this process logs to stderr because the folder could not be used. */
  readonly dir: string | null;
  close(): Promise<void>;
}

function loggerFor(options: LogFileOptions, destination: pino.DestinationStream): Logger {
  const level = options.level === undefined ? logLevel() : logLevelOr(options.level, 'info');
  return pino({ level, base: { app: options.app, pid: process.pid }, ...safeLoggerOptions() }, destination);
}

/** Opens the log file; rejects when the folder cannot be made or the file cannot be written. */
export async function openLogFile(options: LogFileOptions): Promise<LogFile> {
  const dir = path.resolve(options.dir);
  // Logs name people and devices: private to this user, like the profile.
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stream = await pinoRoll({
    file: path.join(dir, LOG_FILE),
    size: options.maxSize ?? DEFAULT_LOG_SIZE,
    limit: { count: options.keep ?? DEFAULT_LOG_KEEP, removeOtherLogFiles: true },
    mode: 0o600,
    // Written as each line comes: a few lines a minute cost nothing, and a crash or an exit right
    // after a fatal error loses none. (Opening is synchronous too: its error rejects here.)
    sync: true,
  });
  // Later write errors must not crash the app (an 'error' event with no listener would): say so once.
  let told = false;
  stream.on('error', (err: Error) => {
    if (told) return;
    told = true;
    process.stderr.write(`warbler: cannot write the log in ${dir}: ${err.message}\n`);
  });
  const logger = loggerFor(options, stream);
  return {
    logger,
    dir,
    close: async () => {
      if (stream.destroyed) return;
      const closed = once(stream, 'close');
      stream.end();
      await closed;
    },
  };
}

/** The same logger on stderr, for when the log file cannot be had. */
function stderrLog(options: LogFileOptions): LogFile {
  const logger = loggerFor(options, pino.destination({ dest: 2, sync: true }));
  return { logger, dir: null, close: async () => undefined };
}

/** The log file, or stderr with one line saying why: a process never fails to start for its log. */
export async function openLogFileOrStderr(options: LogFileOptions): Promise<LogFile> {
  try {
    return await openLogFile(options);
  } catch (err) {
    process.stderr.write(`warbler: logging to stderr, the log folder ${options.dir} cannot be used: ${(err as Error).message}\n`);
    return stderrLog(options);
  }
}

/**
 * A fatal error: one plain line on stderr (whoever started the process from a terminal sees why it
 * stopped) and the whole, scrubbed error in the log, on disk when this returns (both streams are
 * synchronous), so the caller may exit at once.
 */
export function reportFatal(file: LogFile, err: unknown, what: string, stderr: { write(text: string): unknown } = process.stderr): void {
  stderr.write(`warbler: ${what}: ${err instanceof Error ? err.message : String(err)}\n`);
  file.logger.fatal({ err }, what);
}
