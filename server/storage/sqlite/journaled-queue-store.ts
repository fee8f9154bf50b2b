// The per-device queues of a relay that has its data folder to itself. New envelopes, acks and send
// ids go to the queues' journal (one append and one fdatasync per turn of the event loop, off the
// relay's thread) and are kept in memory; most envelopes are acked within milliseconds and never
// reach SQLite (QueueMover moves the rest), and send ids go to sent.sqlite (SentIds). What is in
// SQLite is read and removed as SqliteQueueStore does. An envelope is visible to its device only
// once it is durable.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { NewMessage, QueueLimits, QueueStore, Queued, StoreMessageResult, StoredEnvelope } from '../queue-store.js';
import type { GroupCommit } from './group-commit.js';
import { HotQueues } from './hot-queues.js';
import { envelopeTupleOf, journalRecord, type JournalRecord } from './journal-records.js';
import { QueueJournal } from './queue-journal.js';
import { QueueMover, type Replayed } from './queue-mover.js';
import { SqliteQueueStore, type QueueRelations, type queueStatements } from './queue-store.js';
import { SentIds } from './sent-ids.js';

/** How often envelopes still waiting move to SQLite, and after how many of those ticks (a second). */
const TRICKLE_MS = 100;
const TRICKLE_AFTER = 10;
/** The journal's size past which its next epoch starts. */
const EPOCH_BYTES = 64 * 1024 * 1024;

type AckResult = { removed: number; queued: Queued[] };

/** An acked message from another account: its sender's devices may get a receipt. */
interface Acked {
  seq: number;
  kind: string;
  messageId: string;
  fromUsername: string;
}

export class JournaledQueueStore implements QueueStore {
  private readonly q: ReturnType<typeof queueStatements>;
  /** What has moved to SQLite: read, expired and forgotten there as on any SQLite relay. */
  private readonly cold: SqliteQueueStore;
  private readonly hot = new HotQueues();
  private readonly mover: QueueMover;
  /** Null once closed. */
  private journal: QueueJournal | null = null;
  private sentIds: SentIds | null = null;
  /** The highest seq handed out, and the highest whose envelope is on disk. */
  private lastSeq = 0;
  private durableSeq = 0;
  /** The oldest server time in the journal's current epoch: what expires or is pruned before it is in SQLite alone. */
  private epochOldest = Infinity;
  /** The last seq handed out at each of the last trickles: envelopes up to the oldest have waited long enough. */
  private readonly marks: number[] = [];
  private switchDue = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly coldAckTx: (device: string, seqs: number[]) => { removed: number; acked: Acked[] };

  /** Takes the journal in `dir` and reads back what it holds. */
  constructor(
    db: Database.Database,
    private readonly writes: GroupCommit,
    private readonly related: QueueRelations,
    dir: string,
  ) {
    this.cold = new SqliteQueueStore(db, writes, related);
    const q = this.cold.statements;
    this.q = q;
    this.mover = new QueueMover(db, this.hot, (id) => this.sentIds!.record(id));
    this.coldAckTx = db.transaction((device: string, seqs: number[]) => {
      const acked: Acked[] = [];
      for (const seq of seqs) {
        const row = q.deleteAcked.get(device, seq) as { kind: string; message_id: string; from_username: string } | undefined;
        if (row) acked.push({ seq, kind: row.kind, messageId: row.message_id, fromUsername: row.from_username });
      }
      return { removed: acked.length, acked };
    });
    this.openJournal(db, dir);
  }

  /** Reads back what the journal holds, and moves all of it to SQLite in a first epoch switch. */
  private openJournal(db: Database.Database, dir: string): void {
    const state = this.mover.state();
    const sentIds = SentIds.open(dir, db);
    let opened: ReturnType<typeof QueueJournal.open>;
    try {
      opened = QueueJournal.open(dir, state.epoch, { mark: () => this.lastSeq, synced: (mark) => this.synced(mark) });
    } catch (err) {
      void sentIds.close();
      throw err;
    }
    const { journal, records } = opened;
    this.sentIds = sentIds;
    this.journal = journal;
    try {
      const replayed: Replayed = { lastSeq: state.lastSeq, acks: [] };
      for (const record of records) this.mover.replay(journalRecord.parse(record), replayed);
      // A device unlinked or reset just before a crash, its queue's removal not yet in the journal.
      for (const device of this.hot.devices()) if (!this.related.devices.byKey(device)) this.hot.forget(device);
      this.lastSeq = this.durableSeq = replayed.lastSeq;
      this.mover.settleAll(journal, this.lastSeq, sentIds.unconfirmedIds(), replayed.acks);
    } catch (err) {
      journal.close();
      void sentIds.close();
      this.journal = null;
      this.sentIds = null;
      throw err;
    }
    this.timer = setInterval(() => this.trickle(), TRICKLE_MS).unref();
  }

  /** After each fdatasync: what was appended up to `mark` is durable, and the next epoch may be due. */
  private synced(mark: number): void {
    if (mark > this.durableSeq) this.durableSeq = mark;
    const journal = this.journal!;
    if (this.switchDue || journal.size <= EPOCH_BYTES) return;
    this.switchDue = true;
    // After the writers of this batch have heard, between two fdatasyncs.
    setImmediate(() =>
      journal.whenIdle(() => {
        this.switchDue = false;
        if (this.journal === journal && journal.size > EPOCH_BYTES) this.background(() => this.switchEpoch());
      }),
    );
  }

  private trickle(): void {
    this.marks.push(this.lastSeq);
    if (this.marks.length < TRICKLE_AFTER) return;
    const upTo = Math.min(this.marks.shift()!, this.durableSeq);
    this.background(() => this.mover.trickle(upTo));
  }

  /** A move the relay did not ask for: on failure the journal keeps everything, and the next tries again. */
  private background(move: () => void): void {
    if (!this.journal) return;
    try {
      move();
    } catch (err) {
      process.emitWarning(`the queues could not move to SQLite: ${(err as Error).message}`);
    }
  }

  private switchEpoch(): void {
    this.mover.switchEpoch(this.journal!, this.lastSeq, this.sentIds!.unconfirmedIds());
    this.epochOldest = this.hot.oldestTime();
  }

  /** Moves every envelope to SQLite: from then on, SQLite alone answers for them. */
  private settleAll(): void {
    this.mover.settleAll(this.journal!, this.lastSeq, this.sentIds!.unconfirmedIds());
    this.epochOldest = Infinity;
    this.marks.length = 0;
  }

  /**
   * Before SQLite alone answers for what is older than `before`: the journal then holds nothing of
   * it. Undefined when it holds nothing of it already.
   */
  private settleBefore(before: number): Promise<void> | undefined {
    if (!this.journal || before <= this.epochOldest) return undefined;
    return this.whenIdle(() => this.settleAll());
  }

  private whenIdle(work: () => void): Promise<void> {
    return new Promise((resolve, reject) =>
      this.journal!.whenIdle(() => {
        try {
          work();
          resolve();
        } catch (err) {
          reject(err);
        }
      }),
    );
  }

  private appendDated(record: JournalRecord, serverTime: number): void {
    this.journal!.append(record);
    if (serverTime < this.epochOldest) this.epochOldest = serverTime;
  }

  private journalOrThrow(): QueueJournal {
    if (!this.journal) throw new Error('the queue store is closed');
    return this.journal;
  }

  /** Inside the caller's transaction (a device unlinked or reset): its queue and its counts go. */
  forgetDeviceSync(device: string): void {
    this.cold.forgetDeviceSync(device);
    if (!this.journal) return;
    this.hot.forget(device);
    this.journal.append({ t: 'f', d: device } satisfies JournalRecord);
  }

  /** Not async: its answer must come in the same turn as those of other writes in its batch (see `committed`). */
  storeMessage(m: NewMessage, limits: QueueLimits): Promise<StoreMessageResult> {
    try {
      return this.store(m, limits);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private store(m: NewMessage, limits: QueueLimits): Promise<StoreMessageResult> {
    const journal = this.journalOrThrow();
    const earlier = this.sentIds!.timeOf(m.fromDevice, m.messageId);
    // The first copy may still be on its way to disk: the answer waits for it.
    if (earlier !== undefined) return journal.committed({ stored: false, duplicate: true, serverTime: earlier });
    const fits = (copy: NewMessage['copies'][number]): boolean => {
      const cold = this.q.queueTotal.get(copy.device) as { messages: number; bytes: number } | undefined;
      const hot = this.hot.total(copy.device);
      return (cold?.messages ?? 0) + hot.messages + 1 <= limits.messages && (cold?.bytes ?? 0) + hot.bytes + copy.sealed.length <= limits.bytes;
    };
    const room = m.copies.filter(fits);
    // Each device is told what did not fit in its queue, whether or not the rest was stored.
    const refused = m.copies.filter((copy) => !room.includes(copy)).map((copy) => copy.device);
    const counted = refused.length > 0 ? this.writes.write(() => refused.forEach((device) => this.q.addRefused.run(device))) : undefined;
    const reached = new Set(room.map((c) => c.owner));
    const full = [...new Set(m.copies.map((c) => c.owner))].filter((owner) => owner !== m.fromUsername && !reached.has(owner));
    if (full.length > 0) return counted!.then(() => ({ stored: false, duplicate: false, full }));
    // Counted by the next login, which reads after this write; waiting for it here would answer this
    // send out of turn with the others of its batch.
    counted?.catch((err: unknown) => process.emitWarning(`a refused copy was not counted: ${(err as Error).message}`));
    const queued: Queued[] = [];
    const copies: [number, string, string][] = [];
    for (const copy of room) {
      const envelope = { seq: ++this.lastSeq, kind: 'message', messageId: m.messageId, fromUsername: m.fromUsername, fromDevice: m.fromDevice, serverTime: m.serverTime, sealed: copy.sealed } as const;
      this.hot.add(copy.device, envelope);
      queued.push({ device: copy.device, envelope });
      copies.push([envelope.seq, copy.device, copy.sealed]);
    }
    this.sentIds!.record({ fromDevice: m.fromDevice, messageId: m.messageId, serverTime: m.serverTime });
    this.appendDated({ t: 'm', id: m.messageId, u: m.fromUsername, d: m.fromDevice, at: m.serverTime, c: copies }, m.serverTime);
    return journal.committed({ stored: true, serverTime: m.serverTime, queued });
  }

  async pending(device: string, afterSeq: number, limit: number): Promise<StoredEnvelope[]> {
    const cold = await this.cold.pending(device, afterSeq, limit);
    if (cold.length >= limit) return cold;
    // What is in SQLite came before what is still in the journal.
    const after = cold.length > 0 ? cold[cold.length - 1]!.seq : afterSeq;
    return cold.concat(this.hot.pending(device, after, limit - cold.length, this.durableSeq));
  }

  /** Not async, as `storeMessage`. */
  ack(device: string, seqs: number[], now: number, noReceipt: ReadonlySet<number> = new Set()): Promise<AckResult> {
    try {
      return this.ackNow(device, seqs, now, noReceipt);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private ackNow(device: string, seqs: number[], now: number, noReceipt: ReadonlySet<number>): Promise<AckResult> {
    const journal = this.journalOrThrow();
    const acked: Acked[] = [];
    const hotSeqs: number[] = [];
    const coldSeqs: number[] = [];
    for (const seq of seqs) {
      const envelope = this.hot.remove(device, seq);
      if (!envelope) {
        coldSeqs.push(seq);
        continue;
      }
      hotSeqs.push(seq);
      acked.push({ seq, kind: envelope.kind, messageId: envelope.messageId, fromUsername: envelope.fromUsername });
    }
    // Every acked seq, those already in SQLite too: a replay deletes them there as well.
    if (seqs.length > 0) journal.append({ t: 'a', d: device, s: seqs } satisfies JournalRecord);
    if (coldSeqs.length === 0) return journal.committed({ removed: hotSeqs.length, queued: this.queueReceipts(device, acked, now, noReceipt) });
    // Envelopes that waited and moved to SQLite: deleted there. Every receipt gets its seq after that
    // write, so that none is handed over after envelopes with later seqs.
    return this.writes.write(() => this.coldAckTx(device, coldSeqs)).then((cold) =>
      journal.committed({ removed: hotSeqs.length + cold.removed, queued: this.queueReceipts(device, [...acked, ...cold.acked], now, noReceipt) }),
    );
  }

  /**
   * Queues a `delivered` receipt to the sender's devices for each acked message from another
   * account, unless the recipient hides its presence (a receipt would show it online) or
   * `noReceipt` names its seq (its sender is blocked).
   */
  private queueReceipts(device: string, acked: readonly Acked[], now: number, noReceipt: ReadonlySet<number>): Queued[] {
    const { devices, presence } = this.related;
    const owner = devices.byKey(device)?.username;
    const queued: Queued[] = [];
    if (owner === undefined || acked.length === 0 || presence.isHiddenSync(owner)) return queued;
    for (const row of acked) {
      if (row.kind !== 'message' || row.fromUsername === owner || noReceipt.has(row.seq)) continue;
      for (const target of devices.keysOf(row.fromUsername)) {
        const envelope = { seq: ++this.lastSeq, kind: 'delivered', messageId: row.messageId, fromUsername: owner, fromDevice: device, serverTime: now } as const;
        this.hot.add(target, envelope);
        queued.push({ device: target, envelope });
      }
    }
    if (queued.length > 0) this.appendDated({ t: 'e', e: queued.map(envelopeTupleOf) }, now);
    return queued;
  }

  async expire(before: number, device?: string): Promise<number> {
    await this.settleBefore(before);
    return this.cold.expire(before, device);
  }

  /** In the group commit: many devices logging in at once cost one commit, not three each. */
  takeMissed(device: string, expireBefore: number): Promise<{ expired: number; refused: number }> {
    const take = () => this.cold.takeMissed(device, expireBefore);
    const settled = this.settleBefore(expireBefore);
    return settled ? settled.then(take) : take();
  }

  async pruneSent(before: number): Promise<number> {
    this.journalOrThrow();
    return this.sentIds!.prune(before);
  }

  /**
   * Writes the send ids that wait, moves everything in the journal to SQLite and lets the journal go
   * (before the database closes).
   */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const journal = this.journal;
    const sentIds = this.sentIds;
    if (!journal || !sentIds) return;
    try {
      await sentIds.writeBatch();
      await this.whenIdle(() => {
        try {
          this.settleAll();
        } finally {
          journal.close();
        }
      });
    } finally {
      this.journal = null;
      this.sentIds = null;
      await sentIds.close();
    }
  }
}
