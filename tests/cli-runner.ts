// The built CLI, run as a script runs it: in a folder of its own, on a profile named by the caller.
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const CLI = path.resolve(import.meta.dirname, '../dist/cli/main.js');

export interface Line {
  id: string;
  from: string;
  conversation: string;
  kind: string;
  outgoing: boolean;
  text: string;
  sentAt: number;
  serverTime: number | null;
}

/** The CLI in `dir`, on the profile `profile` (a folder in dir). */
export function cli(dir: string) {
  const env = { ...process.env, WARBLER_HOME: path.join(dir, 'home'), WARBLER_PASSPHRASE: '' };
  const warbler = async (profile: string, ...args: string[]) => (await run(process.execPath, [CLI, '--profile', profile, ...args], { cwd: dir, env })).stdout;
  return {
    warbler,
    /** The JSON lines a command printed. */
    lines: async (profile: string, ...args: string[]) => parseLines(await warbler(profile, ...args)),
    fails: async (profile: string, ...args: string[]): Promise<{ code: number; stderr: string }> => {
      const result = await run(process.execPath, [CLI, '--profile', profile, ...args], { cwd: dir, env }).catch((err: unknown) => err);
      if (!(result instanceof Error)) throw new Error(`warbler ${args.join(' ')} succeeded`);
      return result as unknown as { code: number; stderr: string };
    },
    spawn: (profile: string, ...args: string[]) => spawn(process.execPath, [CLI, '--profile', profile, ...args], { cwd: dir, env }),
  };
}

export const parseLines = (stdout: string): Line[] =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);

