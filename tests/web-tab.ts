// A browser tab of the web host, for integration tests that drive the host over its bridge as the
// page would, and what those tests need around it: a stand-in page and the host's log files.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../web/host/host.js';
import type { Relay } from '../server/relay.js';
import { BRIDGE_PATH, BridgeReply, type IpcOutcome } from '../shared/ipc-transport.js';
import { httpUrl, relayIn, tempDir, waitFor, type Cleanups } from './helpers.js';

/** The page the web host serves is not what these tests are about: a stand-in keeps it off the build. */
export function stubRenderer(dir: string): string {
  const rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'web.html'), '<!doctype html><div id="root"></div>');
  return rendererDir;
}

/** Every log file in a folder, one after the other. */
export function readLogs(dir: string): string {
  return fs
    .readdirSync(dir)
    .map((name) => fs.readFileSync(path.join(dir, name), 'utf8'))
    .join('');
}

/** A tab admitted with the printed link, then calling over the bridge as the shim does. */
export class WebTab {
  private next = 1;
  private readonly waiting = new Map<number, (outcome: IpcOutcome) => void>();

  /**
   * cookie: the session the printed link was exchanged for (the link lets one browser in, once):
   * what other requests of this tab's browser carry.
   */
  private constructor(
    private readonly ws: WebSocket,
    readonly origin: string,
    readonly cookie: string,
  ) {
    ws.on('message', (data) => {
      const frame = BridgeReply.parse(JSON.parse(data.toString()));
      if (frame.kind !== 'reply') return;
      const resolve = this.waiting.get(frame.id);
      this.waiting.delete(frame.id);
      resolve?.(frame.ok ? { ok: true, response: frame.response } : { ok: false, error: frame.error });
    });
  }

  static async open(host: WebHost): Promise<WebTab> {
    const link = new URL(host.url);
    const cookie = await new Promise<string>((resolve, reject) =>
      http.get(link, (res) => resolve(String(res.headers['set-cookie']?.[0] ?? '').split(';')[0]!)).on('error', reject),
    );
    const ws = new WebSocket(`ws://${link.host}${BRIDGE_PATH}`, { headers: { origin: link.origin, cookie } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new WebTab(ws, link.origin, cookie);
  }

  /** The reply as the shim reads it: a response, or the IpcError. */
  reply(channel: string, request: object): Promise<IpcOutcome> {
    const id = this.next++;
    return new Promise<IpcOutcome>((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ id, channel, request }));
    });
  }

  /** The response; a refusal throws `channel: code`. */
  async call<T>(channel: string, request: object): Promise<T> {
    const outcome = await this.reply(channel, request);
    if (!outcome.ok) throw new Error(`${channel}: ${outcome.error.code}`);
    return outcome.response as T;
  }

  close(): void {
    this.ws.close();
  }
}

/** A relay, alice's web host on it and a tab let in to that host, alice registered and online; all closed after the test. */
export async function aliceOnline(cleanups: Cleanups): Promise<{ dir: string; relay: Relay; host: WebHost; tab: WebTab }> {
  const dir = tempDir();
  const relay = await relayIn(dir, cleanups);
  const host = await startWebHost({
    profileDir: path.join(dir, 'alice'),
    port: 0,
    defaultServerUrl: httpUrl(relay),
    rendererDir: stubRenderer(dir),
    logsDir: path.join(dir, 'logs'),
  });
  cleanups.push(() => host.close());
  const tab = await WebTab.open(host);
  cleanups.push(() => tab.close());
  await tab.call('account:register', { serverUrl: httpUrl(relay), username: 'alice' });
  await waitFor(() => host.service.current?.connectionState === 'online', 10_000, 'alice online');
  return { dir, relay, host, tab };
}
