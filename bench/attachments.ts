// Attachments end to end on loopback: alice stages (encrypts) a file and sends it, the core uploads
// it to the relay (tus); bob downloads it, verifies it and decrypts it to a file. Beside it, the same
// number of bytes through the same relay's blob endpoints with curl: the ceiling, what the relay and
// the loopback allow without any client work; and the same download by node:http alone, drained and
// dropped, which no client written for Node can beat. Target: ≥ 0.7× the ceiling each way, and
// memory that does not grow with the file (the same run at two sizes).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { filePieces } from '../core/attachments/staging.js';
import { WarblerClient } from '../core/client.js';
import { readProfile } from '../core/profile.js';
import { RelayConnection } from '../core/relay/connection.js';
import { historyKey } from '../core/vault/vault.js';
import { BLOBS_PATH, type AttachmentView } from '../shared/attachment.js';
import { loadSodium, randomBytes, toB64 } from '../shared/crypto.js';
import { cpuSeconds, ownCpuSeconds } from './cpu.js';
import { startRelayProcess, type RelayProcess } from './process.js';
import { randomFile } from './random-file.js';

const run = promisify(execFile);
const MB = 1_000_000;
const TARGET_RATIO = 0.7;
/** The file size the targets are read at (the issue's). */
const TARGET_SIZE_MB = 100;
/**
 * Memory is flat when the largest file's peak growth exceeds the next one's by less than this.
 * The two largest are compared: garbage buffers waiting for V8's collector make a plateau of some
 * tens of MB that a small file stays under, which is not growth with the file.
 */
const FLAT_SLACK_BYTES = 32 * 1024 * 1024;

interface Phase {
  seconds: number;
  mbPerSecond: number;
  /** Peak RSS during the phase minus RSS just before it, MB. */
  clientRssGrowthMb: number;
  relayRssGrowthMb: number;
  clientCpuSeconds: number;
  relayCpuSeconds: number;
}

interface SizeResult {
  sizeMb: number;
  /** curl's upload and download; `nodeDownload`: the same GET by node:http, drained and dropped (what any Node client starts from). */
  ceiling: { upload: Phase; download: Phase; nodeDownload: Phase };
  client: { upload: Phase & { encryptSeconds: number }; download: Phase & { downloadSeconds: number } };
  /** Client MB/s over the ceiling's, as the issue measures it: encrypt + upload, download + decrypt. */
  ratio: { upload: number; download: number };
  /** The same for the transfers alone (upload after staging; download before decrypting): what the network code costs. */
  transferRatio: { upload: number; download: number };
  identical: boolean;
}

export async function benchAttachments(sizesMb: readonly number[] = [20, TARGET_SIZE_MB, 300]): Promise<Record<string, unknown>> {
  await loadSodium();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-bench-attachments-'));
  const largest = Math.max(...sizesMb) * MB;
  // Room for every upload of the run at once (each size twice: the ceiling's and the client's).
  const quota = `${Math.ceil((4 * sizesMb.reduce((a, b) => a + b, 0) * MB) / 1024 ** 2)}M`;
  const relay = await startRelayProcess(path.join(dir, 'relay'), undefined, [
    '--attachment-max-size',
    `${Math.ceil((largest * 1.01) / 1024 ** 2)}M`,
    '--attachment-quota',
    quota,
  ]);
  const clients: WarblerClient[] = [];
  try {
    const alice = await WarblerClient.register(path.join(dir, 'alice'), relay.url, 'alice');
    const bob = await WarblerClient.register(path.join(dir, 'bob'), relay.url, 'bob');
    clients.push(alice, bob);
    for (const c of clients) c.start();
    await Promise.all(clients.map((c) => c.waitOnline(10_000)));
    const token = await blobToken(dir, relay.url);

    const results: SizeResult[] = [];
    for (const sizeMb of sizesMb) {
      const plain = path.join(dir, `plain-${sizeMb}`);
      const digest = randomFile(plain, sizeMb * MB);
      const ceiling = await ceilingRun(relay, token, plain, path.join(dir, `curl-out-${sizeMb}`));
      const client = await clientRun(relay, alice, bob, plain, path.join(dir, `saved-${sizeMb}`));
      const identical = digestOfFile(path.join(dir, `saved-${sizeMb}`)) === digest;
      results.push({
        sizeMb,
        ceiling,
        client,
        ratio: { upload: round(client.upload.mbPerSecond / ceiling.upload.mbPerSecond), download: round(client.download.mbPerSecond / ceiling.download.mbPerSecond) },
        transferRatio: {
          upload: round(ceiling.upload.seconds / (client.upload.seconds - client.upload.encryptSeconds)),
          download: round(ceiling.download.seconds / client.download.downloadSeconds),
        },
        identical,
      });
      for (const f of [plain, path.join(dir, `curl-out-${sizeMb}`), path.join(dir, `saved-${sizeMb}`)]) fs.rmSync(f, { force: true });
    }

    const bySize = [...results].sort((a, b) => a.sizeMb - b.sizeMb);
    const biggest = bySize[bySize.length - 1]!;
    const next = bySize[bySize.length - 2];
    const large = results.find((r) => r.sizeMb === TARGET_SIZE_MB) ?? biggest;
    const growth = (r: SizeResult) => Math.max(r.client.upload.clientRssGrowthMb, r.client.download.clientRssGrowthMb);
    const memoryFlat = next === undefined || (growth(biggest) - growth(next)) * MB < FLAT_SLACK_BYTES;
    return {
      case: 'attachments',
      cores: os.availableParallelism(),
      sizes: results,
      target: {
        ratio: TARGET_RATIO,
        atSizeMb: large.sizeMb,
        upload: large.ratio.upload >= TARGET_RATIO,
        download: large.ratio.download >= TARGET_RATIO,
        memoryFlat,
        met: results.every((r) => r.identical) && large.ratio.upload >= TARGET_RATIO && large.ratio.download >= TARGET_RATIO && memoryFlat,
      },
    };
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
    await relay.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A token for the curl runs: a third account's device, logged in with its own keys (as the core does). */
async function blobToken(dir: string, url: string): Promise<string> {
  const profileDir = path.join(dir, 'curl');
  await (await WarblerClient.register(profileDir, url, 'curl')).close();
  const profile = readProfile(profileDir, await historyKey(profileDir, { kind: 'key-file' }));
  if (!profile) throw new Error('the curl account has no profile');
  const connection = new RelayConnection(url, profile.identity);
  connection.start();
  try {
    await connection.waitOnline(10_000);
    return (await connection.request({ type: 'blob-token' })).token;
  } finally {
    connection.stop();
  }
}

function digestOfFile(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const block = Buffer.alloc(MB);
  try {
    for (let n; (n = fs.readSync(fd, block)) > 0; ) hash.update(block.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** The same bytes up (tus: a creation POST, then one PATCH streamed from the file) and down (GET) with curl. */
async function ceilingRun(relay: RelayProcess, token: string, file: string, out: string): Promise<SizeResult['ceiling']> {
  const size = fs.statSync(file).size;
  const id = toB64(randomBytes(16));
  const tus = ['-H', 'Tus-Resumable: 1.0.0', '-H', `Authorization: Bearer ${token}`];
  const created = await curl([...tus, '-X', 'POST', '-H', `Upload-Length: ${size}`, '-H', `Upload-Metadata: id ${Buffer.from(id).toString('base64')}`, `${relay.url}${BLOBS_PATH}`]);
  if (created !== 201) throw new Error(`the relay answered the tus creation with ${created}`);
  const upload = await measure(relay, size, async () => {
    // -T streams the file (--data-binary @file would read it whole first); -X makes the PUT a PATCH.
    const status = await curl([...tus, '-X', 'PATCH', '-H', 'Upload-Offset: 0', '-H', 'Content-Type: application/offset+octet-stream', '-T', file, `${relay.url}${BLOBS_PATH}/${id}`]);
    if (status !== 204) throw new Error(`the relay answered the tus PATCH with ${status}`);
  });
  const download = await measure(relay, size, async () => {
    const status = await curl([`${relay.url}${BLOBS_PATH}/${id}`], out);
    if (status !== 200) throw new Error(`the relay answered the download with ${status}`);
  });
  if (fs.statSync(out).size !== size) throw new Error('curl downloaded a different size');
  const nodeDownload = await measure(relay, size, async () => {
    const received = await drain(`${relay.url}${BLOBS_PATH}/${id}`);
    if (received !== size) throw new Error(`node:http received ${received} of ${size} bytes`);
  });
  return { upload, download, nodeDownload };
}

/** GETs `url` with node:http and counts the body's bytes, keeping none. */
function drain(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let received = 0;
        response.on('data', (chunk: Buffer) => (received += chunk.length));
        response.on('end', () => resolve(received));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

async function curl(args: string[], out = '/dev/null'): Promise<number> {
  const { stdout } = await run('curl', ['-sS', '-o', out, '-w', '%{http_code}', ...args], { maxBuffer: 1024 * 1024 });
  return Number(stdout.trim());
}

/** Through the core API: stage (encrypt) and send, until uploaded; then save (download, verify, decrypt) on the other side. */
async function clientRun(relay: RelayProcess, alice: WarblerClient, bob: WarblerClient, file: string, out: string): Promise<SizeResult['client']> {
  const size = fs.statSync(file).size;
  let encryptSeconds = 0;
  let id = '';
  const upload = await measure(relay, size, async () => {
    const started = performance.now();
    const staged = await alice.stageAttachment(filePieces(file), { name: path.basename(file), type: 'application/octet-stream' });
    encryptSeconds = (performance.now() - started) / 1000;
    id = staged.stagedId;
    const uploaded = attachmentState(alice, id, 'uploaded');
    await alice.send('bob', '', { queue: true, attachments: [staged.stagedId] });
    await uploaded;
  });

  await waitFor(() => bob.attachment(id) !== undefined, 30_000, 'bob to receive the message');
  let downloadSeconds = 0;
  const download = await measure(relay, size, async () => {
    const started = performance.now();
    const ready = attachmentState(bob, id, 'ready').then(() => {
      downloadSeconds = (performance.now() - started) / 1000;
    });
    await bob.saveAttachment(id, out);
    await ready;
  });
  return { upload: { ...upload, encryptSeconds: round(encryptSeconds) }, download: { ...download, downloadSeconds: round(downloadSeconds) } };
}

/** Resolves when the attachment reaches `state`; rejects when it fails instead. */
function attachmentState(client: WarblerClient, id: string, state: AttachmentView['state']): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (view: AttachmentView | undefined) => {
      if (!view || view.id !== id) return;
      if (view.state === state) done(resolve);
      else if (view.state === 'failed' || view.state === 'damaged' || view.state === 'missing') {
        done(() => reject(new Error(`attachment ${id} is ${view.state}: ${view.error?.message ?? ''}`)));
      }
    };
    const done = (settle: () => void) => {
      client.off('attachment', check);
      settle();
    };
    client.on('attachment', check);
    check(client.attachment(id));
  });
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Times `work`, sampling this process's and the relay's resident memory every 20 ms meanwhile. */
async function measure(relay: RelayProcess, bytes: number, work: () => Promise<void>): Promise<Phase> {
  const relayPid = relay.child.pid ?? 0;
  const clientBase = process.memoryUsage.rss();
  const relayBase = rssOf(relayPid);
  let clientPeak = clientBase;
  let relayPeak = relayBase;
  const sampler = setInterval(() => {
    clientPeak = Math.max(clientPeak, process.memoryUsage.rss());
    relayPeak = Math.max(relayPeak, rssOf(relayPid));
  }, 20);
  const cpuClient = ownCpuSeconds();
  const cpuRelay = cpuSeconds(relayPid) ?? 0;
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  clientPeak = Math.max(clientPeak, process.memoryUsage.rss());
  relayPeak = Math.max(relayPeak, rssOf(relayPid));
  return {
    seconds: round(seconds),
    mbPerSecond: round(bytes / MB / seconds),
    clientRssGrowthMb: round((clientPeak - clientBase) / MB),
    relayRssGrowthMb: round((relayPeak - relayBase) / MB),
    clientCpuSeconds: round(ownCpuSeconds() - cpuClient),
    relayCpuSeconds: round((cpuSeconds(relayPid) ?? 0) - cpuRelay),
  };
}

/** A process's resident memory in bytes, from /proc (0 where there is none). */
function rssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

const round = (n: number): number => Number(n.toFixed(2));
