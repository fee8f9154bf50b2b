// Runs a built entry point, building first when dist/ is missing or older than the sources.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// npm runs scripts in the package root; relative paths the user typed are relative to where they were.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const [entry, ...args] = process.argv.slice(2);
const newest = (dir) => {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
};
const built = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
const sources = Math.max(...['shared', 'server', 'electron', 'cli', 'web', 'renderer', 'bench'].filter((d) => fs.existsSync(d)).map(newest));
if (built < sources) {
  console.error('warbler: building first (npm run build)…');
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: ['ignore', 2, 2] });
}
const child = spawn(process.execPath, [path.join(root, entry), ...args], { stdio: 'inherit', cwd: process.env.INIT_CWD ?? root });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
