// The logs folder over IPC, through the ClientService both hosts run: what Settings shows, and
// opening it through the host's opener (Electron's shell.openPath in the app).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceError } from './ipc-errors.js';
import { ClientService } from './service.js';
import type { HostLogs } from './service-log.js';

const services: ClientService[] = [];
afterEach(async () => {
  for (const svc of services.splice(0)) await svc.close();
});

async function service(logs?: HostLogs): Promise<ClientService> {
  const profileDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-service-logs-')), 'profile');
  const svc = new ClientService({ profileDir, defaultServerUrl: 'http://127.0.0.1:1', ...(logs ? { logs } : {}) });
  services.push(svc);
  await svc.start();
  return svc;
}

describe('the logs folder over IPC', () => {
  it("opens the host's logs folder with the host's opener, and says where it is", async () => {
    const opened: string[] = [];
    const svc = await service({ dir: '/var/log/warbler-test', open: async (dir) => void opened.push(dir) });
    expect(await svc.call('app:logsFolder', {})).toEqual({ path: '/var/log/warbler-test', canOpen: true });
    expect(await svc.call('app:openLogsFolder', {})).toEqual({ path: '/var/log/warbler-test', canOpen: true });
    expect(opened).toEqual(['/var/log/warbler-test']);
  });

  it("reports the file manager's refusal as a failure the page can show", async () => {
    const svc = await service({ dir: '/var/log/warbler-test', open: async () => Promise.reject(new Error('No application is registered')) });
    const outcome = await svc.invoke('app:openLogsFolder', {});
    expect(outcome).toEqual({ ok: false, error: { code: 'open_failed', message: 'could not open /var/log/warbler-test: No application is registered' } });
  });

  it('shows the path where the host cannot open it, and says when there is no log file', async () => {
    const web = await service({ dir: '/home/alice/.config/Warbler/logs' });
    expect(await web.call('app:logsFolder', {})).toEqual({ path: '/home/alice/.config/Warbler/logs', canOpen: false });
    await expect(web.call('app:openLogsFolder', {})).rejects.toMatchObject({ code: 'unsupported' });

    const stderrOnly = await service({ dir: null, open: async () => undefined });
    expect(await stderrOnly.call('app:logsFolder', {})).toEqual({ path: null, canOpen: false });
    const none = await service();
    expect(await none.call('app:logsFolder', {})).toEqual({ path: null, canOpen: false });
    await expect(none.call('app:openLogsFolder', {})).rejects.toBeInstanceOf(ServiceError);
  });

  it('refuses a request with fields the channel does not take', async () => {
    const svc = await service({ dir: '/tmp/logs', open: async () => undefined });
    expect(await svc.invoke('app:openLogsFolder', { path: '/etc' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});
