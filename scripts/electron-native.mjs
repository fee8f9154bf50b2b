// Builds better-sqlite3-multiple-ciphers for Electron's ABI into .cache/, leaving node_modules
// (used by Node: tests, CLI, relay) untouched. Prints the path of the built binding.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const moduleDir = path.dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json'));
const moduleVersion = require('better-sqlite3-multiple-ciphers/package.json').version;
const work = path.resolve('.cache', 'electron-native', `${electronVersion}-${moduleVersion}-${process.platform}-${process.arch}`);
const binding = path.join(work, 'build', 'Release', 'better_sqlite3.node');

if (!fs.existsSync(binding)) {
  console.error(`warbler: building SQLite for Electron ${electronVersion} (once, about a minute)…`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  for (const entry of ['binding.gyp', 'src', 'deps']) {
    fs.cpSync(path.join(moduleDir, entry), path.join(work, entry), { recursive: true });
  }
  execFileSync(
    process.execPath,
    [
      require.resolve('node-gyp/bin/node-gyp.js'),
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      `--arch=${process.arch}`,
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: work, stdio: ['ignore', 2, 2] },
  );
}
console.log(binding);
