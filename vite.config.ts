// Builds the renderer twice over from one source tree:
//   renderer/index.html → the Electron window (window.warbler comes from the preload script)
//   renderer/web.html   → the web host (window.warbler comes from web/shim over a loopback WebSocket)
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const fromHere = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Dev server only: the strict CSP in the HTML files blocks Vite's inline React-refresh preamble and its
 * injected <style> tags. Relax it while serving; `vite build` output keeps the strict policy untouched.
 */
function devCsp(): Plugin {
  return {
    name: 'warbler:dev-csp',
    apply: 'serve',
    transformIndexHtml: {
      order: 'pre',
      handler: (html) =>
        html.replace(
          /<meta\s+http-equiv="Content-Security-Policy"\s+content="[^"]*"\s*\/?>/,
          `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'unsafe-inline'; ` +
            `style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; ` +
            `base-uri 'none'; form-action 'none'" />`,
        ),
    },
  };
}

export default defineConfig({
  root: fromHere('./renderer'),
  base: './',
  // public/: files copied as they are (the classic script that sets the theme before the first paint).
  publicDir: fromHere('./renderer/public'),
  plugins: [react(), devCsp()],
  server: {
    // shared/ and web/shim/ live outside the Vite root.
    fs: { allow: [fromHere('./')] },
  },
  build: {
    outDir: fromHere('./dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // Everything is a same-origin file; no preload polyfill script needed.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: {
        index: fromHere('./renderer/index.html'),
        web: fromHere('./renderer/web.html'),
      },
    },
  },
});
