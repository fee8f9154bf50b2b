// npm start: build, start a local relay on 127.0.0.1:7878 (its SQLite file in the user data
// folder) unless one already answers there, then launch the desktop app connected to it. The app
// itself never starts a relay; this development entry does, and stops it when the app exits.
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

const { startLocalRelay } = await import('../dist/server/embedded.js');
const { defaultRelayDataDir, defaultServerUrl } = await import('../dist/core/paths.js');
const relay = await startLocalRelay(defaultServerUrl(), defaultRelayDataDir(), 'warbler');

const child = spawn(binary, ['.'], {
  stdio: 'inherit',
  env: { ...process.env, WARBLER_SQLITE_BINDING: path.resolve(binding) },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', async (code) => {
  await relay?.close();
  process.exit(code ?? 0);
});
