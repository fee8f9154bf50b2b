// Searching the history's messages through its full-text index (core/migrations/007-message-search.ts).
import type Database from 'better-sqlite3-multiple-ciphers';
import type { SearchHit } from '../../shared/ipc.js';
import { conversationToken, matchQuery, senderToken } from './terms.js';

export interface SearchOptions {
  /** Only in this conversation. */
  conversation?: string;
  /** Only from this person. */
  from?: string;
  /** Only messages that carry files. */
  hasAttachment?: boolean;
  limit?: number;
}

export const DEFAULT_SEARCH_LIMIT = 50;
/** How many of the newest matches are ranked against each other (more when more are asked for). */
const RANKED = 1000;

interface HitRow {
  id: string;
  conversation_id: string;
  sender: string;
  text: string;
  sent_at: number;
  server_time: number | null;
}

type Ranked = [{ match: string; ranked: number; limit: number }];

export class MessageSearch {
  private readonly query;
  private readonly queryWithFiles;
  private readonly withFiles;

  constructor(db: Database.Database) {
    // Ranking every match costs as much as there are matches (a common word in a long history has
    // hundreds of thousands): the newest RANKED matches are ranked, and the best of them come first.
    const ranked = (only: string) => `
      SELECT m.id, m.conversation_id, m.sender, m.text, m.sent_at, m.server_time
      FROM (
        SELECT rowid AS seq, rank FROM message_search WHERE message_search MATCH @match ${only} ORDER BY rowid DESC LIMIT @ranked
      ) newest JOIN messages m ON m.seq = newest.seq
      ORDER BY newest.rank, newest.seq DESC
      LIMIT @limit`;
    this.query = db.prepare<Ranked, HitRow>(ranked(''));
    // Files are not terms of the index (a message's terms are written once, with it; its files come
    // after): the matches are narrowed to messages that have some before the newest are taken.
    const filed = 'SELECT m2.seq FROM attachments a JOIN messages m2 ON m2.id = a.message_id';
    this.queryWithFiles = db.prepare<Ranked, HitRow>(ranked(`AND rowid IN (${filed})`));
    this.withFiles = db.prepare<[{ limit: number }], HitRow>(`
      SELECT m.id, m.conversation_id, m.sender, m.text, m.sent_at, m.server_time FROM messages m
      WHERE m.seq IN (${filed}) ORDER BY m.seq DESC LIMIT @limit`);
  }

  /**
   * The messages that hold every word of `typed` and pass the filters, best first among the newest
   * matches; with no word to look for, those the filters pass, newest first; none without either.
   */
  search(typed: string, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
    // The filters are tokens of the place column, so the index intersects them with the words. A
    // filter alone (every message from one person) is a search too; nothing at all is none.
    const words = matchQuery(typed);
    const parts = words === null ? [] : [`terms : (${words})`];
    if (options.conversation !== undefined) parts.push(`place : "${conversationToken(options.conversation)}"`);
    if (options.from !== undefined) parts.push(`place : "${senderToken(options.from)}"`);
    let rows: HitRow[];
    if (parts.length > 0) {
      const query = options.hasAttachment ? this.queryWithFiles : this.query;
      rows = query.all({ match: parts.join(' AND '), ranked: Math.max(RANKED, limit), limit });
    } else if (options.hasAttachment) {
      rows = this.withFiles.all({ limit });
    } else {
      return [];
    }
    return rows.map((r) => ({
      id: r.id,
      conversation: r.conversation_id,
      from: r.sender,
      text: r.text,
      sentAt: r.sent_at,
      serverTime: r.server_time,
    }));
  }
}
