// The import boundaries are enforced by the lint config; this proves the config refuses them.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function restricted(filePath: string, code: string): Promise<boolean> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).some((m) => m.ruleId === 'no-restricted-imports');
}

const use = (spec: string) => `import * as m from '${spec}';\nexport const a = m;\n`;

describe('process boundaries', () => {
  it.each([
    ['server/relay-extra.ts', use('electron')],
    ['server/extra.ts', use('../core/client.js')],
    ['server/storage/extra.ts', use('../../core/client.js')],
    ['server/extra.ts', use('../desktop/notifier.js')],
    ['core/extra.ts', use('electron')],
    ['core/extra.ts', use('../server/relay.js')],
    ['core/e2e/extra.ts', use('../../server/relay.js')],
    ['core/extra.ts', use('../renderer/src/store.js')],
    ['core/extra.ts', use('../electron/main/main.js')],
    ['renderer/src/extra.ts', use('node:fs')],
    ['renderer/src/extra.ts', use('fs')],
    ['renderer/src/extra.ts', use('electron')],
    ['renderer/src/extra.ts', use('../../core/client.js')],
    ['shared/extra.ts', use('node:path')],
    ['shared/extra.ts', use('electron')],
    ['shared/extra.ts', use('../core/history.js')],
    ['shared/e2e/extra.ts', use('../../server/relay.js')],
    ['desktop/extra.ts', use('electron')],
    ['desktop/extra.ts', use('../server/embedded.js')],
    ['electron/main/extra.ts', use('../../server/embedded.js')],
    ['electron/preload/extra.ts', use('node:fs')],
    ['electron/preload/extra.ts', use('../../core/client.js')],
    ['web/host/extra.ts', use('electron')],
    ['renderer/src/extra.ts', use('../../web/host/host.js')],
    ['web/shim/extra.ts', use('../host/host.js')],
    ['electron/preload/extra.ts', use('../../electron/main/ipc.js')],
    ['electron/preload/extra.ts', use('../main/ipc.js')],
    ['core/extra.ts', use('../core/../server/relay.js')],
    ['renderer/src/extra.ts', use('../../shared/../core/client.js')],
  ])('refuses %s: %s', async (file, code) => {
    expect(await restricted(file, code)).toBe(true);
  });

  it.each([
    ['server/extra.ts', use('node:path')],
    ['server/extra.ts', use('../shared/protocol.js')],
    ['server/storage/extra.ts', use('./accounts.js')],
    ['core/extra.ts', use('./history.js')],
    ['core/e2e/extra.ts', use('../../shared/crypto.js')],
    ['desktop/extra.ts', use('../core/client.js')],
    ['renderer/src/extra.ts', "import type { WarblerApi } from '../../shared/ipc.js';\nexport type A = WarblerApi;\n"],
    ['electron/main/extra.ts', use('electron')],
    ['electron/main/extra.ts', use('../../core/service.js')],
    ['electron/main/extra.ts', use('../../desktop/notifier.js')],
    ['web/host/extra.ts', use('../../core/service.js')],
    ['renderer/src/extra.ts', use('../../web/shim/shim.js')],
    ['renderer/src/extra.ts', use('./web-entry.js')],
    ['electron/preload/extra.ts', use('../../shared/ipc.js')],
  ])('allows %s: %s', async (file, code) => {
    expect(await restricted(file, code)).toBe(false);
  });
});
