// npm run web: the app in a browser tab, for the default profile, with a local relay when none answers.
import { spawn } from 'node:child_process';

const child = spawn(process.execPath, ['scripts/run-built.mjs', 'dist/web/host/main.js', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
