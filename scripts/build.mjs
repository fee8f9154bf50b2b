// npm run build: type-checked JavaScript for Node (tsc), the sandboxed preload as one CommonJS
// file (esbuild), and the renderer bundle (Vite).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { build } from 'esbuild';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

fs.rmSync('dist', { recursive: true, force: true });
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']);
for (const bin of ['dist/cli/main.js', 'dist/server/main.js']) fs.chmodSync(bin, 0o755);
// A sandboxed preload cannot load modules of its own: everything it needs is bundled in.
await build({
  entryPoints: ['electron/preload/preload.ts'],
  outfile: 'dist/electron/preload/preload.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'chrome130',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
});
run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']);
