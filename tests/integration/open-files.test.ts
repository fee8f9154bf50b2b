// The relay runs with its open-file soft limit at the hard limit, whatever it was started with: each
// connection holds a descriptor, and the usual soft limit (1,024) would cap it at about a thousand
// clients. (Node raises it as it starts; the relay says in its log what it has.)
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { openFileLimits } from '../../server/open-files.js';
import { tempDir } from '../helpers.js';

const SERVER = path.resolve(import.meta.dirname, '../../dist/server/main.js');
const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describe('the relay process', () => {
  it('started with a soft limit of 256, runs at the hard limit and says so in its log', async () => {
    const hard = openFileLimits()?.hard;
    expect(hard, 'this test reads /proc/<pid>/limits: it runs on Linux').toBeDefined();
    expect(hard, 'the hard limit must be above 256 for the raise to show').toBeGreaterThan(256);
    // The shell lowers its soft limit, then becomes the relay: the relay starts at 256.
    const child = spawn('bash', ['-c', 'ulimit -Sn 256 && exec "$0" "$@"', process.execPath, SERVER, '--port', '0', '--data', tempDir()], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    stops.push(() => child.kill('SIGTERM'));
    const lines = readline.createInterface({ input: child.stdout });
    const logged = await new Promise<Record<string, unknown>>((resolve, reject) => {
      lines.on('line', (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (typeof entry.msg === 'string' && entry.msg.startsWith('open-file limit')) resolve(entry);
      });
      child.once('exit', (code) => reject(new Error(`the relay exited with ${code}`)));
    });
    expect(logged).toMatchObject({ soft: hard === Infinity ? null : hard, hard: hard === Infinity ? null : hard });
    expect(openFileLimits(child.pid!)).toEqual({ soft: hard, hard });
  });
});
