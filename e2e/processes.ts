// Starts the built relay and web hosts as separate processes, the way a person would run them.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const root = path.resolve(import.meta.dirname, '..');
export const CLI = path.join(root, 'dist/cli/main.js');
const SERVER = path.join(root, 'dist/server/main.js');

export interface Running {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

function started(child: ChildProcess, pattern: RegExp, stream: 'stdout' | 'stderr' = 'stdout'): Promise<string> {
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child[stream]! }).on('line', (line) => {
      const match = pattern.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`process exited early with ${code}`)));
  });
}

/** How long a host may take to close after SIGTERM: closing is a few writes and a socket close. */
const STOP_GRACE_MS = 10_000;

/**
 * SIGTERM, then the exit. A process that has not exited within the grace is killed and the stop
 * fails naming it: a hang on the way out is a bug to see, not a test timeout to guess at.
 */
function stopper(child: ChildProcess, name: string): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STOP_GRACE_MS)));
    const inTime = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (inTime) return;
    child.kill('SIGKILL');
    await exited;
    throw new Error(`${name} (pid ${child.pid}) did not exit within ${STOP_GRACE_MS / 1000} s of SIGTERM`);
  };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-e2e-'));
}

/** flags: more of warbler-server's flags, as an operator would give them (e.g. a smaller queue). */
export async function startRelay(dataDir: string, port = 0, flags: readonly string[] = []): Promise<Running> {
  const child = spawn(process.execPath, [SERVER, '--port', String(port), '--data', dataDir, ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  const wsUrl = await started(child, /"url":"(ws:\/\/[^"]+)"/);
  return { url: wsUrl.replace(/^ws:/, 'http:'), process: child, stop: stopper(child, 'the relay') };
}

/** A relay operator's subcommand (e.g. reset-account), run to its end: resolves to what it printed. */
export function runRelayCommand(args: readonly string[]): Promise<string> {
  const child = spawn(process.execPath, [SERVER, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(output.trim()) : reject(new Error(`warbler-server ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** The warbler CLI run to its end, with these environment variables (WARBLER_PASSPHRASE, say): resolves to what it printed. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...hostEnv(), ...env } });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(output.trim()) : reject(new Error(`warbler ${args.join(' ')} exited with ${code}`))));
  });
}

/** This environment without a passphrase: each test says which key source a process gets. */
function hostEnv(): NodeJS.ProcessEnv {
  const { WARBLER_PASSPHRASE: _none, ...env } = process.env;
  return env;
}

export async function startWebHost(profileDir: string, serverUrl: string): Promise<Running> {
  const child = spawn(process.execPath, [CLI, '--profile', profileDir, '--server', serverUrl, 'web', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: hostEnv(),
  });
  const url = await started(child, / at (http:\/\/127\.0\.0\.1:\d+\/\S*)/);
  return { url, process: child, stop: stopper(child, `the web host of ${path.basename(profileDir)}`) };
}
