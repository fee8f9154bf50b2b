// Lint, and the import boundaries between processes: the rule, not discipline, keeps them.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const forbid = (message, names = [], groups = []) => [
  'error',
  {
    paths: names.map((name) => ({ name, message })),
    patterns: groups.map((group) => ({ group: [group], message })),
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
      'no-restricted-imports': forbid(
        'shared/ runs in every process: no electron, no Node built-ins, no other process folder',
        ['electron', ...nodeBuiltins],
        ['**/server/**', '**/electron/**', '**/renderer/**', '**/web/**'],
      ),
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require'],
    },
  },
  {
    files: ['server/**', 'electron/core/**'],
    rules: {
      'no-restricted-imports': forbid(
        'server/ and electron/core/ are plain Node: never electron, never the UI',
        ['electron'],
        ['**/renderer/**', '**/electron/main/**', '**/electron/preload/**', 'electron/*'],
      ),
    },
  },
  {
    files: ['electron/core/**'],
    rules: {
      'no-restricted-imports': forbid(
        'electron/core/ is the headless client: never electron, the UI or the relay',
        ['electron'],
        ['**/renderer/**', '**/electron/main/**', '**/electron/preload/**', '**/server/**'],
      ),
    },
  },
  {
    files: ['electron/shell/**'],
    rules: {
      'no-restricted-imports': forbid(
        'electron/shell/ is the desktop shell\'s logic behind small interfaces: plain Node, so it is tested without Electron',
        ['electron', 'electron-updater'],
        ['**/renderer/**', '**/electron/main/**', '**/electron/preload/**', '**/server/**'],
      ),
    },
  },
  {
    files: ['electron/preload/**'],
    rules: {
      'no-restricted-imports': forbid(
        'the preload may use electron and shared/ only',
        nodeBuiltins,
        ['**/server/**', '**/electron/core/**', '**/electron/main/**', '**/renderer/**'],
      ),
    },
  },
  {
    files: ['renderer/**', 'web/shim/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': forbid(
        'the renderer runs in a sandboxed page: window.warbler only, no Node, no electron',
        ['electron', ...nodeBuiltins],
        ['**/server/**', '**/electron/**', '**/web/host/**'],
      ),
    },
  },
);
