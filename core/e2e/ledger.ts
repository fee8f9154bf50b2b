// What was received (so a redelivered envelope is not decrypted twice: its keys are gone) and what
// was sent lately (so a device that could not decrypt a message can have it again).
// Its tables are made by the history's numbered migrations (core/migrations/).
import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';

/** How long a sent payload can be asked for again. */
export const RESEND_KEEP_MS = 7 * 86_400_000;
/** How long an envelope id is remembered; the relay resends an unacked one within the queue's lifetime. */
const RECEIVED_KEEP_MS = 45 * 86_400_000;

export interface ResendRequest {
  device: string;
  username: string;
  serverTime: number;
}

const StringList = z.array(z.string());

export interface SentPayload {
  recipients: string[];
  devices: string[];
  payload: string;
  serverTime: number;
}

export class Ledger {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      seen: db.prepare('SELECT 1 FROM received WHERE from_device = ? AND message_id = ?').pluck(),
      receive: db.prepare('INSERT OR IGNORE INTO received (from_device, message_id, at) VALUES (?, ?, ?)'),
      keep: db.prepare(
        'INSERT OR REPLACE INTO sent_payloads (message_id, recipients, devices, payload, server_time) VALUES (?, ?, ?, ?, ?)',
      ),
      sent: db.prepare('SELECT recipients, devices, payload, server_time FROM sent_payloads WHERE message_id = ?'),
      forgetSent: db.prepare('DELETE FROM sent_payloads WHERE message_id = ?'),
      ask: db.prepare('INSERT OR IGNORE INTO resend_requests (message_id, device, username, server_time, at) VALUES (?, ?, ?, ?, ?)'),
      asked: db.prepare('SELECT device, username, server_time FROM resend_requests WHERE message_id = ?'),
      answered: db.prepare('DELETE FROM resend_requests WHERE message_id = ?'),
      pruneAsked: db.prepare('DELETE FROM resend_requests WHERE at < ?'),
      pruneReceived: db.prepare('DELETE FROM received WHERE at < ?'),
      pruneSent: db.prepare('DELETE FROM sent_payloads WHERE server_time < ?'),
    };
  }

  wasReceived(fromDevice: string, messageId: string): boolean {
    return this.q.seen.get(fromDevice, messageId) !== undefined;
  }

  received(fromDevice: string, messageId: string, now: number): void {
    this.q.receive.run(fromDevice, messageId, now);
  }

  keepSent(messageId: string, sent: SentPayload): void {
    this.q.keep.run(messageId, JSON.stringify(sent.recipients), JSON.stringify(sent.devices), sent.payload, sent.serverTime);
  }

  /** The payload is gone (its message deleted): a request to resend it is answered with nothing. */
  forgetSent(messageId: string): void {
    this.q.forgetSent.run(messageId);
  }

  sent(messageId: string): SentPayload | undefined {
    const row = this.q.sent.get(messageId) as { recipients: string; devices: string; payload: string; server_time: number } | undefined;
    return (
      row && {
        recipients: StringList.parse(JSON.parse(row.recipients)),
        devices: StringList.parse(JSON.parse(row.devices)),
        payload: row.payload,
        serverTime: row.server_time,
      }
    );
  }

  /** Records that a message was asked for again; false when it already was. */
  ask(messageId: string, request: ResendRequest, now: number): boolean {
    return this.q.ask.run(messageId, request.device, request.username, request.serverTime, now).changes === 1;
  }

  asked(messageId: string): ResendRequest | undefined {
    const row = this.q.asked.get(messageId) as { device: string; username: string; server_time: number } | undefined;
    return row && { device: row.device, username: row.username, serverTime: row.server_time };
  }

  answered(messageId: string): void {
    this.q.answered.run(messageId);
  }

  prune(now: number): void {
    this.q.pruneReceived.run(now - RECEIVED_KEEP_MS);
    this.q.pruneAsked.run(now - RECEIVED_KEEP_MS);
    this.q.pruneSent.run(now - RESEND_KEEP_MS);
  }
}
