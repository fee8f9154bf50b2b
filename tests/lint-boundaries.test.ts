// The import boundaries are enforced by the lint config; this proves the config refuses them.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function restricted(filePath: string, code: string): Promise<boolean> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).some((m) => m.ruleId === 'no-restricted-imports');
}

describe('process boundaries', () => {
  it.each([
    ['server/relay-extra.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['electron/core/extra.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['electron/core/extra.ts', "import { startRelay } from '../../server/relay.js';\nexport const a = startRelay;\n"],
    ['renderer/src/extra.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
    ['renderer/src/extra.ts', "import fs from 'fs';\nexport const a = fs;\n"],
    ['renderer/src/extra.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n"],
    ['shared/extra.ts', "import path from 'node:path';\nexport const a = path;\n"],
    ['shared/extra.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['electron/shell/extra.ts', "import { Tray } from 'electron';\nexport const a = Tray;\n"],
  ])('refuses %s: %s', async (file, code) => {
    expect(await restricted(file, code)).toBe(true);
  });

  it.each([
    ['server/extra.ts', "import path from 'node:path';\nexport const a = path;\n"],
    ['renderer/src/extra.ts', "import type { WarblerApi } from '../../shared/ipc.js';\nexport type A = WarblerApi;\n"],
    ['electron/main/extra.ts', "import { app } from 'electron';\nexport const a = app;\n"],
  ])('allows %s: %s', async (file, code) => {
    expect(await restricted(file, code)).toBe(false);
  });
});
