// Lint, and the import boundaries between processes: the rule, not discipline, keeps them.
// Each folder names where its code runs (README, "Layout"); a relative import that reaches a
// folder it may not use is refused, however many "../" it takes to get there.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * A relative import whose path names one of these folders as any segment: `../../web/host/x.js`
 * and `../core/../server/x.js` are caught as well as `../server/x.js`.
 */
const folders = (...names) => `^\\.{1,2}/(?:[^'"]*/)?(?:${names.join('|')})(?:/|$)`;

const forbid = (message, { modules = [], reach = [] }) => [
  'error',
  {
    paths: modules.map((name) => ({ name, message })),
    patterns: reach.length > 0 ? [{ regex: folders(...reach), message }] : [],
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'release/', '.cache/', 'node_modules/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': forbid('shared/ runs in every process: no electron, no Node built-ins, no other process folder', {
        modules: ['electron', ...nodeBuiltins],
        reach: ['server', 'core', 'desktop', 'electron', 'renderer', 'web', 'cli', 'bench'],
      }),
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require'],
    },
  },
  {
    files: ['server/**'],
    rules: {
      'no-restricted-imports': forbid('server/ is the relay: plain Node, shared/ and its own folder only', {
        modules: ['electron'],
        reach: ['core', 'desktop', 'electron', 'renderer', 'web', 'cli', 'bench'],
      }),
    },
  },
  {
    files: ['core/**'],
    rules: {
      'no-restricted-imports': forbid('core/ is the headless client: plain Node, shared/ and its own folder only; never electron, the UI or the relay', {
        modules: ['electron'],
        reach: ['server', 'desktop', 'electron', 'renderer', 'web', 'cli', 'bench'],
      }),
    },
  },
  {
    files: ['desktop/**'],
    rules: {
      'no-restricted-imports': forbid("desktop/ is the desktop shell's rules behind small interfaces: plain Node, so it is tested without Electron", {
        modules: ['electron', 'electron-updater'],
        reach: ['server', 'electron', 'renderer', 'web', 'cli', 'bench'],
      }),
    },
  },
  {
    files: ['electron/main/**'],
    rules: {
      'no-restricted-imports': forbid('electron/main holds the Electron adapters: it uses core/ and desktop/, and never starts a relay', {
        reach: ['server', 'renderer', 'web', 'cli', 'bench'],
      }),
    },
  },
  {
    files: ['electron/preload/**'],
    rules: {
      'no-restricted-imports': forbid('the preload may use electron and shared/ only', {
        modules: nodeBuiltins,
        reach: ['server', 'core', 'desktop', 'electron', 'main', 'renderer', 'web', 'cli', 'bench'],
      }),
    },
  },
  {
    files: ['renderer/**', 'web/shim/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': forbid('the renderer runs in a sandboxed page: window.warbler only, no Node, no electron', {
        modules: ['electron', ...nodeBuiltins],
        // 'host' as any segment: web/host from the renderer (../../web/host) and from the shim (../host).
        // Not all of web/: the renderer's web-entry.ts loads the shim (web/shim) before the app mounts.
        reach: ['server', 'core', 'desktop', 'electron', 'cli', 'bench', 'host'],
      }),
    },
  },
  {
    files: ['web/host/**', 'cli/**'],
    rules: {
      'no-restricted-imports': forbid('the web host and the CLI run the client core in plain Node: never electron or the UI', {
        modules: ['electron'],
        reach: ['electron', 'renderer', 'bench'],
      }),
    },
  },
);
