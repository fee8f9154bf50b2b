// The logs of a real chat hold none of its secrets: alice in the web host (driven over its bridge
// as her browser tab would), bob and alice's second device in ClientServices writing log files,
// everything at level trace, against a real relay. Then every log file is read whole.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientService } from '../../core/service.js';
import { openLogFile, type LogFile } from '../../core/log-file.js';
import { KEY_FILE } from '../../core/vault/key-file.js';
import { startWebHost } from '../../web/host/host.js';
import type { ChatMessage } from '../../shared/ipc.js';
import { httpUrl, profileOf, relayIn, tempDir, useCleanups, waitFor } from '../helpers.js';
import { readLogs, stubRenderer, WebTab } from '../web-tab.js';

const cleanups = useCleanups();
const ALICE_TEXT = 'quartz-heron-sings-at-dawn 鹭鸶';
const BOB_TEXT = 'velvet-otter-reply-7731';
const PASSPHRASE = 'plover under the larch tree';

let previousLevel: string | undefined;
beforeAll(() => {
  previousLevel = process.env.WARBLER_LOG_LEVEL;
  // The web host takes its level from the environment, as a person would set it.
  process.env.WARBLER_LOG_LEVEL = 'trace';
});
afterAll(() => {
  if (previousLevel === undefined) delete process.env.WARBLER_LOG_LEVEL;
  else process.env.WARBLER_LOG_LEVEL = previousLevel;
});

async function serviceWithLog(profileDir: string, serverUrl: string): Promise<{ svc: ClientService; log: LogFile }> {
  const log = await openLogFile({ dir: path.join(profileDir, 'logs'), app: 'desktop', level: 'trace' });
  const svc = new ClientService({ profileDir, defaultServerUrl: serverUrl, logger: log.logger, logs: { dir: log.dir } });
  await svc.start();
  return { svc, log };
}

const texts = (messages: ChatMessage[]) => messages.map((m) => m.text);

/** Asks again until the answer is yes; a refusal (no such conversation yet) counts as no. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the logs of a real chat', () => {
  it('hold no message text, keys, passphrase, link code or web token, and do say what happened', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const serverUrl = httpUrl(relay);

    const aliceDir = path.join(dir, 'alice');
    const host = await startWebHost({ profileDir: aliceDir, port: 0, defaultServerUrl: serverUrl, rendererDir: stubRenderer(dir) });
    let hostOpen = true;
    cleanups.push(() => hostOpen && host.close());
    const tab = await WebTab.open(host);
    cleanups.push(() => tab.close());
    // A browser that kept an old link: refused, and its token must not be logged either.
    const staleToken = 'Zq9wX2vB7nM4kL1pR8sT3yU6';
    await new Promise((resolve) => http.get(`${new URL(host.url).origin}/?token=${staleToken}`, resolve));

    const bob = await serviceWithLog(path.join(dir, 'bob'), serverUrl);
    cleanups.push(() => bob.log.close(), () => bob.svc.close());
    await bob.svc.call('account:register', { serverUrl, username: 'bob' });

    // The page learns where the logs are; the host does not open folders for a page.
    expect(await tab.call('app:logsFolder', {})).toEqual({ path: path.join(aliceDir, 'logs'), canOpen: false });
    await expect(tab.call('app:openLogsFolder', {})).rejects.toThrow('unsupported');

    await tab.call('account:register', { serverUrl, username: 'alice' });
    await tab.call('vault:setPassphrase', { passphrase: PASSPHRASE });
    await until(async () => (await tab.call<{ connection: string }>('app:snapshot', {})).connection === 'online', 'alice online');
    await tab.call('conversations:open', { username: 'bob' });
    await tab.call('messages:send', { conversationId: 'bob', text: ALICE_TEXT });
    await until(async () => texts(await bob.svc.call('messages:list', { conversationId: 'alice' })).includes(ALICE_TEXT), 'bob to receive');
    await bob.svc.call('messages:send', { conversationId: 'alice', text: BOB_TEXT });
    await until(async () => texts(await tab.call<ChatMessage[]>('messages:list', { conversationId: 'bob' })).includes(BOB_TEXT), 'alice to receive');

    // alice links a second device: its code goes through the web host's bridge.
    const second = await serviceWithLog(path.join(dir, 'alice-laptop'), serverUrl);
    cleanups.push(() => second.log.close(), () => second.svc.close());
    const { code } = await second.svc.call('account:link', { serverUrl });
    await tab.call('devices:approve', { code });
    await waitFor(() => second.svc.current, 20_000, 'the second device to be linked');

    const token = new URL(host.url).searchParams.get('token')!;
    const profiles = await Promise.all([host.service.current!, bob.svc.current!, second.svc.current!].map((client) => profileOf(client)));
    const secrets: Record<string, string> = {
      'alice text': ALICE_TEXT,
      'bob text': BOB_TEXT,
      passphrase: PASSPHRASE,
      'web token': token,
      'web session': tab.cookie.split('=')[1]!,
      'stale token': staleToken,
      'link code': code,
      'link code, finding part': code.slice(0, 8),
      'link code, secret part': code.slice(8),
      "alice's history key": fs.readFileSync(path.join(aliceDir, KEY_FILE), 'utf8').trim(),
      "bob's history key": fs.readFileSync(path.join(dir, 'bob', KEY_FILE), 'utf8').trim(),
      ...Object.fromEntries(
        profiles.flatMap((p, i) => [
          [`device secret key ${i}`, p.identity.secretKey],
          [`account secret key ${i}`, p.account.secretKey],
        ]),
      ),
    };
    expect(code).toMatch(/^\d{18}$/);
    expect(secrets["alice's history key"]).toMatch(/^[0-9a-f]{64}$/);

    tab.close();
    await host.close();
    hostOpen = false;
    await second.svc.close();
    await second.log.close();
    await bob.svc.close();
    await bob.log.close();

    const logs = {
      alice: readLogs(host.logsDir!),
      bob: readLogs(path.join(dir, 'bob', 'logs')),
      'alice-laptop': readLogs(path.join(dir, 'alice-laptop', 'logs')),
    };
    expect(host.logsDir).toBe(path.join(aliceDir, 'logs'));
    for (const [who, text] of Object.entries(logs)) {
      for (const [what, secret] of Object.entries(secrets)) {
        expect(text.includes(secret), `${who}'s log contains the ${what}`).toBe(false);
      }
      // Not vacuous: the log is there and says how the connection went.
      const lines = text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { msg?: string; state?: string });
      expect(lines.some((l) => l.msg === 'relay connection' && l.state === 'online'), `${who}'s log shows it online`).toBe(true);
    }
    expect(logs.alice).toContain('"msg":"web host listening"');
    expect(logs.alice).toContain('"msg":"refused a link with a wrong or used secret"');
    expect(logs['alice-laptop']).toContain('"msg":"this device was linked to its account"');
  }, 60_000);
});
