// The send ids that make a retried send idempotent, in sent.sqlite beside relay.sqlite. Every send
// records one; written one by one, their random keys dirtied a B-tree page each, and that was most
// of what a send cost the relay's thread. Here they are looked up on the relay's thread, but
// written by a thread of their own, once a second, in one transaction: a page then takes many ids.
// Until that thread says a batch is on disk, its ids stay in memory (and in the queues' journal,
// which carries them into its next epoch when it switches).
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../../../shared/sqlite-migrations.js';
import { SENT_MIGRATIONS } from './migrations/sent-migrations.js';

export const SENT_DATABASE_FILE = 'sent.sqlite';
const BATCH_MS = 1000;

export interface SentId {
  fromDevice: string;
  messageId: string;
  serverTime: number;
}

// The writer's code, as text: the relay runs from TypeScript in tests and from JavaScript when
// built, and a worker file would need its own build step (as in push/password-pool.ts).
const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const insert = db.prepare('INSERT OR IGNORE INTO sent (from_device, message_id, server_time) VALUES (?, ?, ?)');
const prune = db.prepare('DELETE FROM sent WHERE server_time < ?');
const insertAll = db.transaction((flat) => {
  for (let i = 0; i < flat.length; i += 3) insert.run(flat[i], flat[i + 1], flat[i + 2]);
});
parentPort.on('message', (m) => {
  try {
    if (m.insert) {
      insertAll(m.insert);
      parentPort.postMessage({ id: m.id });
    } else if (m.prune !== undefined) {
      parentPort.postMessage({ id: m.id, pruned: prune.run(m.prune).changes });
    } else if (m.close) {
      db.close();
      parentPort.postMessage({ id: m.id });
    }
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String((err && err.message) || err) });
  }
});
`;

interface Reply {
  id: number;
  pruned?: number;
  error?: string;
}

const keyOf = (fromDevice: string, messageId: string): string => `${fromDevice}\n${messageId}`;

export class SentIds {
  /** Recorded and not yet on disk in sent.sqlite. */
  private readonly unconfirmed = new Map<string, SentId>();
  /** Recorded and not yet handed to the writer. */
  private toWrite: SentId[] = [];
  private readonly replies = new Map<number, { resolve: (reply: Reply) => void; reject: (err: Error) => void }>();
  private nextId = 1;
  private dead: Error | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly lookup: Database.Statement;

  private constructor(
    private readonly db: Database.Database,
    private readonly worker: Worker,
  ) {
    this.lookup = db.prepare('SELECT server_time FROM sent WHERE from_device = ? AND message_id = ?').pluck();
    worker.on('message', (reply: Reply) => {
      const waiting = this.replies.get(reply.id);
      this.replies.delete(reply.id);
      if (reply.error !== undefined) waiting?.reject(new Error(`sent.sqlite: ${reply.error}`));
      else waiting?.resolve(reply);
    });
    worker.on('error', (err) => {
      this.dead = err;
      for (const waiting of this.replies.values()) waiting.reject(err);
      this.replies.clear();
    });
    this.timer = setInterval(() => void this.writeBatch().catch((err: unknown) => process.emitWarning(`send ids not written: ${(err as Error).message}`)), BATCH_MS).unref();
  }

  /**
   * Opens sent.sqlite in `dir`, brought up to its schema, with the ids an earlier release kept in
   * relay.sqlite's own `sent` table moved into it, and starts its writer.
   */
  static open(dir: string, relay: Database.Database): SentIds {
    const file = path.join(dir, SENT_DATABASE_FILE);
    const nativeBinding = process.env.WARBLER_SQLITE_BINDING;
    const db = new Database(file, nativeBinding ? { nativeBinding } : {});
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      migrate(db, file, SENT_MIGRATIONS);
      moveEarlierIds(relay, file);
    } catch (err) {
      db.close();
      throw err;
    }
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');
    const worker = new Worker(WRITER_SOURCE, { eval: true, workerData: { sqlite, file, nativeBinding } });
    worker.unref();
    return new SentIds(db, worker);
  }

  record(id: SentId): void {
    this.unconfirmed.set(keyOf(id.fromDevice, id.messageId), id);
    this.toWrite.push(id);
  }

  /** The server time of the first send with this id, if there was one. */
  timeOf(fromDevice: string, messageId: string): number | undefined {
    return this.unconfirmed.get(keyOf(fromDevice, messageId))?.serverTime ?? (this.lookup.get(fromDevice, messageId) as number | undefined);
  }

  /** What is not on disk in sent.sqlite yet: the journal carries it into its next epoch. */
  unconfirmedIds(): SentId[] {
    return [...this.unconfirmed.values()];
  }

  /** Hands what was recorded to the writer, and settles once it is on disk. */
  async writeBatch(): Promise<void> {
    const batch = this.toWrite;
    if (batch.length === 0) return;
    this.toWrite = [];
    const flat: (string | number)[] = [];
    for (const id of batch) flat.push(id.fromDevice, id.messageId, id.serverTime);
    try {
      await this.ask({ insert: flat });
    } catch (err) {
      // Kept in memory and in the journal; the next batch takes them again.
      this.toWrite = batch.concat(this.toWrite);
      throw err;
    }
    for (const id of batch) {
      const key = keyOf(id.fromDevice, id.messageId);
      if (this.unconfirmed.get(key) === id) this.unconfirmed.delete(key);
    }
  }

  /** Forgets ids older than `before`, after writing what waits. */
  async prune(before: number): Promise<number> {
    await this.writeBatch();
    return (await this.ask({ prune: before })).pruned ?? 0;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    try {
      await this.writeBatch();
      await this.ask({ close: true });
    } finally {
      await this.worker.terminate();
      this.db.close();
    }
  }

  private ask(message: { insert: (string | number)[] } | { prune: number } | { close: true }): Promise<Reply> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...message });
    });
  }
}

/** Releases before sent.sqlite kept send ids in relay.sqlite's own table: copied, then emptied. */
function moveEarlierIds(relay: Database.Database, sentFile: string): void {
  if (relay.prepare('SELECT 1 FROM sent LIMIT 1').get() === undefined) return;
  relay.prepare('ATTACH DATABASE ? AS sent_ids').run(sentFile);
  try {
    // Not atomic across the two files: a crash between the two statements copies again, harmlessly.
    relay.exec('INSERT OR IGNORE INTO sent_ids.sent (from_device, message_id, server_time) SELECT from_device, message_id, server_time FROM main.sent');
    relay.exec('DELETE FROM main.sent');
  } finally {
    relay.exec('DETACH DATABASE sent_ids');
  }
}
