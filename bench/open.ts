// Opening a long conversation in the app: a profile whose history holds N messages (default
// 100,000) with one person, opened in the web host in Chromium. Timed from the click on the
// conversation to its newest message painted, on a fresh page each run; then the whole history is
// scrolled through to its first message, frame by frame, and the renderer's JS heap is read.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { WarblerClient } from '../core/client.js';
import { longMessageId, writeLongHistory } from './long-history.js';
import { startRelayProcess, stopProcess } from './process.js';
import { percentile } from './stats.js';

const RUNS = 10;
const TARGET_PAINT_MS = 100;
const TARGET_HEAP_MB = 150;
const SCROLL_TIMEOUT_MS = 600_000;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Run in the page, as text (the bench is typed without the DOM). Clicks the conversation and
// resolves to the milliseconds until a frame showing its newest message has been painted: found
// in view at the start of a frame, then a task after that frame.
const OPEN_AND_TIME = `(button, newest) => new Promise((resolve) => {
  const start = performance.now();
  button.click();
  const inView = () => {
    const row = document.querySelector('[data-message-id="' + newest + '"]');
    const log = row && row.closest('[role="log"]');
    if (!row || !log) return false;
    const r = row.getBoundingClientRect();
    const l = log.getBoundingClientRect();
    return r.height > 0 && r.bottom > l.top && r.top < l.bottom;
  };
  const frame = () => {
    if (!inView()) return requestAnimationFrame(frame);
    const after = new MessageChannel();
    after.port1.onmessage = () => resolve(performance.now() - start);
    after.port2.postMessage(0);
  };
  requestAnimationFrame(frame);
})`;

// Run in the page, as text: scrolls the log to the top of what it holds on every frame until no
// earlier messages are left to load; resolves to the frame times on the way (ms).
const SCROLL_TO_START = `(log, timeoutMs) => new Promise((resolve, reject) => {
  const frames = [];
  const started = performance.now();
  let last = started;
  const frame = (now) => {
    frames.push(now - last);
    last = now;
    if (now - started > timeoutMs) return reject(new Error('the start of the history was not reached in time'));
    if (!log.querySelector('[data-edge="older"]')) return resolve(frames);
    log.scrollTop = 0;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})`;

/** A function written as text, for Playwright to send to the page (it runs a string as an expression). */
const inPage = (source: string) => new Function(`return (${source});`)() as (...args: unknown[]) => unknown;

interface Host {
  url: string;
  child: ChildProcess;
}

/** The built CLI's web host for this profile, as `warbler web` runs it. */
async function startWebHost(profileDir: string, serverUrl: string): Promise<Host> {
  const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  const { WARBLER_PASSPHRASE: _none, ...env } = process.env;
  const child = spawn(process.execPath, [cli, '--profile', profileDir, '--server', serverUrl, 'web', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const url = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = / at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the web host exited early with ${code}`)));
  });
  return { url, child };
}

/** The renderer's JS heap after a garbage collection, in MB, and its DOM size. */
async function rendererMemory(page: Page): Promise<{ jsHeapUsedMb: number; jsHeapTotalMb: number; domNodes: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  await cdp.detach();
  const mb = (bytes: number) => Number((bytes / 1e6).toFixed(1));
  return { jsHeapUsedMb: mb(metric('JSHeapUsedSize')), jsHeapTotalMb: mb(metric('JSHeapTotalSize')), domNodes: metric('Nodes') };
}

const round = (ms: number) => Number(ms.toFixed(1));

export async function benchOpen(messages: number): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-bench-open-'));
  const relay = await startRelayProcess(path.join(dir, 'relay'));
  let host: Host | null = null;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const profile = path.join(dir, 'me');
    await (await WarblerClient.register(profile, relay.url, 'me')).close();
    const written = performance.now();
    await writeLongHistory(profile, { me: 'me', peer: 'bob', count: messages, endAt: Date.now() });
    const writeSeconds = (performance.now() - written) / 1000;
    host = await startWebHost(profile, relay.url);

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${host.url}&lang=en`);
    const newest = longMessageId(messages - 1);
    const times: number[] = [];
    // One run more than counted: the first warms the host's and the page's caches.
    for (let run = 0; run <= RUNS; run++) {
      if (run > 0) await page.reload();
      const button = page.getByRole('button', { name: /^bob/ });
      await button.waitFor();
      const ms = (await button.evaluate(inPage(OPEN_AND_TIME), newest)) as number;
      if (run > 0) times.push(ms);
    }
    times.sort((a, b) => a - b);
    const log = page.getByRole('log', { name: 'Conversation with bob' });
    const rowsAtNewest = await log.locator('li[data-message-id]').count();

    const scrolled = performance.now();
    const frames = ((await log.evaluate(inPage(SCROLL_TO_START), SCROLL_TIMEOUT_MS)) as number[]).sort((a, b) => a - b);
    const scrollSeconds = (performance.now() - scrolled) / 1000;
    await log.locator(`li[data-message-id="${longMessageId(0)}"]`).waitFor();
    const memory = await rendererMemory(page);
    const rowsAtStart = await log.locator('li[data-message-id]').count();

    const p95 = percentile(times, 95);
    return {
      case: 'open',
      messages,
      written: { seconds: round(writeSeconds) },
      runs: RUNS,
      openToNewestPaintedMs: { p50: round(percentile(times, 50)), p95: round(p95), max: round(times[times.length - 1]!) },
      rowsInPage: { atNewest: rowsAtNewest, atStart: rowsAtStart },
      scrollToStart: {
        seconds: round(scrollSeconds),
        frames: frames.length,
        frameMs: { p50: round(percentile(frames, 50)), p95: round(percentile(frames, 95)), max: round(frames[frames.length - 1]!) },
      },
      rendererAtStart: memory,
      target: { paintP95Ms: TARGET_PAINT_MS, heapMb: TARGET_HEAP_MB, met: p95 < TARGET_PAINT_MS && memory.jsHeapUsedMb < TARGET_HEAP_MB },
    };
  } finally {
    await browser.close();
    if (host) await stopProcess(host.child);
    await relay.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
