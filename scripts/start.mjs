// npm start: build, then launch the desktop app (which starts a local relay when none answers).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function electronBinary() {
  // Electron downloads a missing binary on first require; an install that skipped it means offline.
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD && !fs.existsSync(path.join(path.dirname(require.resolve('electron/package.json')), 'path.txt'))) {
    return null;
  }
  try {
    const binary = require('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  console.error("warbler: Electron's binary is not installed here (offline install?); run `npm run web` to use Warbler in a browser tab instead.");
  process.exit(1);
}

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const binding = execFileSync(process.execPath, ['scripts/electron-native.mjs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
const child = spawn(binary, ['.'], {
  stdio: 'inherit',
  env: { ...process.env, WARBLER_SQLITE_BINDING: path.resolve(binding) },
});
child.on('exit', (code) => process.exit(code ?? 0));
