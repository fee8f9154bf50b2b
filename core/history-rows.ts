// How the history's rows read as the IPC's conversations and messages, and the queries that read them.
import type { ChatMessage, Conversation, GroupEvent, MessageState } from '../shared/ipc.js';
import { Quote } from '../shared/payload.js';

// Relay order; a message still being sent goes last, in the order it was written.
export const ORDER = 'server_time IS NULL, server_time, rowid';
export const NEWEST_FIRST = 'server_time IS NULL DESC, server_time DESC, rowid DESC';

// The newest message is the newest unsent one, else the newest by relay time: two index lookups
// instead of sorting the whole conversation on every update.
export const CONVERSATIONS = `
  SELECT c.id, c.kind, c.title, c.members, c.active, c.created_at, c.expires_in,
    c.pinned_at, c.archived, c.muted_until, c.marked_unread, c.draft, c.request,
    EXISTS (SELECT 1 FROM blocked_people b WHERE b.username = c.id AND b.blocked = 1) AS blocked,
    (SELECT g.owner FROM group_states g WHERE g.group_id = c.id) AS owner,
    (SELECT count(*) FROM messages u WHERE u.conversation_id = c.id AND u.outgoing = 0 AND u.read = 0) AS unread,
    m.text AS last_text, m.outgoing AS last_outgoing, m.deleted_at AS last_deleted, coalesce(m.server_time, m.sent_at) AS last_at,
    m.event AS last_event
  FROM conversations c
  LEFT JOIN messages m ON m.rowid = coalesce(
    (SELECT rowid FROM messages WHERE conversation_id = c.id AND server_time IS NULL ORDER BY rowid DESC LIMIT 1),
    (SELECT rowid FROM messages WHERE conversation_id = c.id AND server_time IS NOT NULL
       ORDER BY server_time DESC, rowid DESC LIMIT 1))`;

export interface ConversationRow {
  id: string;
  kind: 'direct' | 'group';
  title: string;
  members: string;
  active: number;
  created_at: number;
  expires_in: number | null;
  pinned_at: number | null;
  archived: number;
  muted_until: number | null;
  marked_unread: number;
  draft: string | null;
  request: number;
  blocked: number;
  owner: string | null;
  unread: number;
  last_text: string | null;
  last_outgoing: number | null;
  last_deleted: number | null;
  last_at: number | null;
  last_event: string | null;
}

export const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  members: JSON.parse(r.members) as string[],
  active: r.active === 1,
  unread: r.unread,
  updatedAt: r.last_at ?? r.created_at,
  expiresIn: r.expires_in,
  pinnedAt: r.pinned_at,
  archived: r.archived === 1,
  mutedUntil: r.muted_until,
  markedUnread: r.marked_unread === 1,
  draft: r.draft,
  request: r.request === 1,
  blocked: r.blocked === 1,
  ...(r.owner !== null ? { owner: r.owner } : {}),
  lastMessage:
    r.last_text === null
      ? null
      : {
          text: r.last_text,
          outgoing: r.last_outgoing === 1,
          at: r.last_at ?? 0,
          ...(r.last_deleted !== null ? { deleted: true } : {}),
          // An event line's text is English: the list says it again in the reader's language from these.
          ...(r.last_event !== null ? presentOnly(eventOf(r.last_event)) : {}),
        },
});

/** `event` and `timerChange` without the null or undefined ones, as the list's lastMessage has them. */
function presentOnly({ event, timerChange }: Pick<ChatMessage, 'event' | 'timerChange'>): Pick<NonNullable<Conversation['lastMessage']>, 'event' | 'timerChange'> {
  return { ...(event ? { event } : {}), ...(timerChange ? { timerChange } : {}) };
}

export interface MessageRow {
  seq: number;
  id: string;
  conversation_id: string;
  sender: string;
  outgoing: number;
  kind: ChatMessage['kind'];
  text: string;
  event: string | null;
  sent_at: number;
  server_time: number | null;
  state: MessageState;
  from_relay: number;
  reply_to: string | null;
  edited_at: number | null;
  deleted_at: number | null;
  expires_in: number | null;
  expires_at: number | null;
  forwarded: number;
}

/** What an 'event' line's JSON holds: a group change, or a change of the disappearing-messages timer. */
export type StoredEvent = GroupEvent | { timer: number | null; actor: string };

function eventOf(json: string | null): Pick<ChatMessage, 'event' | 'timerChange'> {
  if (json === null) return { event: null };
  const stored = JSON.parse(json) as StoredEvent;
  return 'timer' in stored ? { event: null, timerChange: { actor: stored.actor, expiresIn: stored.timer } } : { event: stored };
}

export const toMessage = (r: MessageRow): ChatMessage => ({
  id: r.id,
  conversationId: r.conversation_id,
  sender: r.sender,
  outgoing: r.outgoing === 1,
  kind: r.kind,
  text: r.text,
  ...eventOf(r.event),
  sentAt: r.sent_at,
  serverTime: r.server_time,
  state: r.state,
  ...(r.reply_to !== null ? { replyTo: Quote.parse(JSON.parse(r.reply_to)) } : {}),
  ...(r.edited_at !== null ? { editedAt: r.edited_at } : {}),
  ...(r.deleted_at !== null ? { deletedAt: r.deleted_at } : {}),
  ...(r.expires_in !== null ? { expiresIn: r.expires_in } : {}),
  ...(r.expires_at !== null ? { expiresAt: r.expires_at } : {}),
  ...(r.forwarded === 1 ? { forwarded: true } : {}),
});

