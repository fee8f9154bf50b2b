// Start-up backlog: a device comes online to N queued messages; how long until all are
// received, decrypted, stored in its history and acked (the relay has deleted them)?
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WarblerClient } from '../core/client.js';
import { startRelayProcess } from './process.js';

export async function benchBacklog(messages: number): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-bench-'));
  const relay = await startRelayProcess(path.join(dir, 'relay'));
  try {
    const sender = await WarblerClient.register(path.join(dir, 'sender'), relay.url, 'sender');
    const receiverDir = path.join(dir, 'receiver');
    await (await WarblerClient.register(receiverDir, relay.url, 'receiver')).close();
    sender.start();
    await sender.waitOnline(10_000);
    for (let i = 0; i < messages; i++) await sender.send('receiver', `queued message ${i} ${'·'.repeat(80)}`, { queue: false });
    await sender.close();

    const receiver = await WarblerClient.open(receiverDir);
    let received = 0;
    receiver.on('received', () => received++);
    const started = performance.now();
    const drained = receiver.waitDrained(120_000);
    receiver.start();
    await drained;
    const seconds = (performance.now() - started) / 1000;
    const stored = receiver.messages('sender', messages + 1).length;
    await receiver.close();
    return {
      case: 'backlog',
      queued: messages,
      received,
      stored,
      seconds: Number(seconds.toFixed(3)),
      messagesPerSecond: Math.round(received / seconds),
      target: { seconds: 1, met: seconds < 1 && stored === messages },
    };
  } finally {
    await relay.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
