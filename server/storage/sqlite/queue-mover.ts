// Moves what the queues' journal holds into SQLite. Every tenth of a second, the envelopes that have
// waited a second (a device offline) go to SQLite in a transaction without an fsync of its own: the
// journal still holds them, and the next fsync of SQLite's WAL covers them. When the journal has
// grown past its bound, its next epoch starts with what it must still hold (the envelopes still
// waiting in memory, the send ids not yet in sent.sqlite). The journal is the record of everything
// since its epoch began, SQLite's moved envelopes aside; replaying it into SQLite is idempotent.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { HotEnvelope, HotQueues } from './hot-queues.js';
import type { JournalRecord } from './journal-records.js';
import { envelopeTupleOf, hotEnvelopeOf } from './journal-records.js';
import type { QueueJournal } from './queue-journal.js';
import type { SentId } from './sent-ids.js';


function moverStatements(db: Database.Database) {
  return {
    // Already there when a replay meets an envelope moved before the crash.
    insertEnvelope: db.prepare(
      `INSERT OR IGNORE INTO envelopes (seq, device, kind, message_id, from_username, from_device, server_time, sealed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    deleteEnvelope: db.prepare('DELETE FROM envelopes WHERE device = ? AND seq = ?'),
    lastSeq: db.prepare('SELECT max(seq) FROM envelopes').pluck(),
    journalState: db.prepare('SELECT epoch, last_seq FROM queue_journal WHERE id = 1'),
    setJournalState: db.prepare('UPDATE queue_journal SET epoch = ?, last_seq = ? WHERE id = 1'),
    notSynced: db.prepare('PRAGMA synchronous = NORMAL'),
    synced: db.prepare('PRAGMA synchronous = FULL'),
  };
}

/** What a replay found: the envelopes still waiting, and every ack (some of envelopes in SQLite). */
export interface Replayed {
  lastSeq: number;
  acks: [device: string, seq: number][];
}

export class QueueMover {
  private readonly q: ReturnType<typeof moverStatements>;
  private readonly moveTx: (moving: readonly HotEnvelope[]) => void;
  private readonly switchTx: (moving: readonly HotEnvelope[], acks: Replayed['acks'], epoch: number, lastSeq: number) => void;

  constructor(
    db: Database.Database,
    private readonly hot: HotQueues,
    /** Where the send ids read back from the journal go. */
    private readonly recordSent: (id: SentId) => void,
  ) {
    const q = moverStatements(db);
    this.q = q;
    this.moveTx = db.transaction((moving: readonly HotEnvelope[]) => {
      for (const { device, envelope: e } of moving) {
        q.insertEnvelope.run(e.seq, device, e.kind, e.messageId, e.fromUsername, e.fromDevice, e.serverTime, e.kind === 'message' ? e.sealed : null);
      }
    });
    this.switchTx = db.transaction((moving, acks, epoch, lastSeq) => {
      for (const [device, seq] of acks) q.deleteEnvelope.run(device, seq);
      this.moveTx(moving);
      q.setJournalState.run(epoch, lastSeq);
    });
  }

  /** The journal's current epoch, and the highest seq handed out before it. */
  state(): { epoch: number; lastSeq: number } {
    const state = this.q.journalState.get() as { epoch: number; last_seq: number };
    return { epoch: state.epoch, lastSeq: Math.max(state.last_seq, (this.q.lastSeq.get() as number | null) ?? 0) };
  }

  /** Applies one record read back from the journal to the hot queues. */
  replay(record: JournalRecord, into: Replayed): void {
    switch (record.t) {
      case 'm':
        for (const [seq, device, sealed] of record.c) {
          this.hot.add(device, { seq, kind: 'message', messageId: record.id, fromUsername: record.u, fromDevice: record.d, serverTime: record.at, sealed });
          into.lastSeq = Math.max(into.lastSeq, seq);
        }
        this.recordSent({ fromDevice: record.d, messageId: record.id, serverTime: record.at });
        return;
      case 'e':
        for (const tuple of record.e) {
          const { device, envelope } = hotEnvelopeOf(tuple);
          this.hot.add(device, envelope);
          into.lastSeq = Math.max(into.lastSeq, envelope.seq);
        }
        return;
      case 'a':
        for (const seq of record.s) {
          this.hot.remove(record.d, seq);
          into.acks.push([record.d, seq]);
        }
        return;
      case 's':
        for (const [fromDevice, messageId, serverTime] of record.s) this.recordSent({ fromDevice, messageId, serverTime });
        return;
      case 'f':
        this.hot.forget(record.d);
    }
  }

  /** Moves the envelopes up to `upToSeq`, without waiting for the disk. */
  trickle(upToSeq: number): void {
    const moving = this.hot.upTo(upToSeq);
    if (moving.length === 0) return;
    this.q.notSynced.run();
    try {
      this.moveTx(moving);
    } finally {
      this.q.synced.run();
    }
    for (const { device, envelope } of moving) this.hot.remove(device, envelope.seq);
  }

  /**
   * Makes the journal's next epoch current, starting with what it must still hold: the envelopes
   * still waiting in memory and `carried`, the send ids not yet on disk in sent.sqlite. Both are
   * written there, durably, before SQLite names the next epoch current, so a crash at any point
   * leaves one whole epoch to read back.
   */
  switchEpoch(journal: QueueJournal, lastSeq: number, carried: readonly SentId[]): void {
    const waiting = [...this.hot.all()];
    this.switch(journal, lastSeq, carried, waiting, [], []);
  }

  /**
   * Moves every envelope in memory to SQLite (after a replay, some may be there already, moved
   * before the crash) and deletes there what `acks` names; the next epoch starts with the send ids
   * alone. After it, SQLite alone holds every envelope.
   */
  settleAll(journal: QueueJournal, lastSeq: number, carried: readonly SentId[], acks: Replayed['acks'] = []): void {
    this.switch(journal, lastSeq, carried, [], [...this.hot.all()], acks);
    this.hot.clear();
  }

  private switch(journal: QueueJournal, lastSeq: number, carried: readonly SentId[], waiting: HotEnvelope[], moving: HotEnvelope[], acks: Replayed['acks']): void {
    journal.flushNow();
    const records: JournalRecord[] = [];
    if (waiting.length > 0) records.push({ t: 'e', e: waiting.map(envelopeTupleOf) });
    if (carried.length > 0) records.push({ t: 's', s: carried.map((id) => [id.fromDevice, id.messageId, id.serverTime]) });
    const next = journal.prepareNext(records);
    try {
      this.switchTx(moving, acks, journal.epoch + 1, lastSeq);
    } catch (err) {
      journal.discard(next);
      throw err;
    }
    journal.advance(next);
  }
}
