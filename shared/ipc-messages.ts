// The conversation view's part of the IPC contract (shared/ipc.ts): messages as the history keeps
// them, search, the messages:* channels that act on one message (react, edit, delete, forward), and the
// disappearing-messages timer.
import { z } from 'zod';
import { MessageText, Username } from './protocol.js';
import { GroupAction, GroupId, MUTED_ALWAYS, Quote, TimerMs } from './payload.js';
import { Emoji } from './emoji.js';
import { AttachmentView } from './attachment.js';

export const MessageState = z.enum(['sending', 'sent', 'delivered', 'read', 'failed']);
export type MessageState = z.infer<typeof MessageState>;

/** A direct conversation is the other person's username; a group's id starts with '#'. */
export const ConversationId = z.union([Username, GroupId]);
export type ConversationId = z.infer<typeof ConversationId>;

/** A membership change, shown in the conversation as a line of its own. */
export const GroupEvent = z.object({ action: GroupAction, actor: Username, subjects: z.array(Username), name: z.string() });
export type GroupEvent = z.infer<typeof GroupEvent>;

/** Who set a conversation's disappearing-messages timer, to what (ms; null: off). */
export const TimerChange = z.object({ actor: Username, expiresIn: z.number().nullable() });
export type TimerChange = z.infer<typeof TimerChange>;

/** One person's reaction to a message. */
export const Reaction = z.object({ from: Username, emoji: z.string() });
export type Reaction = z.infer<typeof Reaction>;

export const ChatMessage = z.object({
  id: z.string(),
  conversationId: ConversationId,
  sender: Username,
  outgoing: z.boolean(),
  text: z.string(),
  /** The sender's clock, ms. */
  sentAt: z.number(),
  /** When the relay accepted it, ms; null until then. Messages are ordered by this. */
  serverTime: z.number().nullable(),
  state: MessageState,
  /**
   * 'event': a membership change (see `event`), not something a person wrote.
   * 'undecryptable': a message from `sender` that could not be decrypted; its device was asked to
   * send it again, and this placeholder is replaced when it arrives.
   * 'identity-changed': `sender`'s identity key (so the safety number) changed.
   */
  kind: z.enum(['text', 'event', 'undecryptable', 'identity-changed']),
  event: GroupEvent.nullable(),
  /** The files it carries, in order; absent when none. */
  attachments: z.array(AttachmentView).optional(),
  /** The message this one answers, as quoted when it was written. */
  replyTo: Quote.optional(),
  /** Its sender forwarded it from another conversation (its text and files as they were there). */
  forwarded: z.literal(true).optional(),
  /** Who reacted with what, oldest first; absent when nobody did. */
  reactions: z.array(Reaction).optional(),
  /** When its text was last edited (relay time, ms); absent when never. */
  editedAt: z.number().optional(),
  /** When its sender deleted it for everyone: its text and files are gone. */
  deletedAt: z.number().optional(),
  /** A line (kind 'event') saying who set the conversation's disappearing-messages timer, to what (null: off). */
  timerChange: TimerChange.optional(),
  /** It disappears this long (ms) after it is read here, or sent by this account. */
  expiresIn: z.number().optional(),
  /** When it disappears (ms); absent while its clock has not started (not read yet). */
  expiresAt: z.number().optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** A message found by a search of the whole history (core/search/). */
export const SearchHit = z.object({
  id: z.string(),
  conversation: ConversationId,
  from: Username,
  text: z.string(),
  sentAt: z.number(),
  serverTime: z.number().nullable(),
});
export type SearchHit = z.infer<typeof SearchHit>;

/** What a person may type in the search box. */
export const SearchQuery = z.string().trim().min(1).max(200);


export const Conversation = z.object({
  id: ConversationId,
  kind: z.enum(['direct', 'group']),
  title: z.string(),
  /** Group members (this account included); for a direct chat, the two people. */
  members: z.array(Username),
  /** False once this account left or was removed from the group: nothing can be sent any more. */
  active: z.boolean(),
  lastMessage: z
    .object({
      text: z.string(),
      outgoing: z.boolean(),
      at: z.number(),
      deleted: z.boolean().optional(),
      /** It is an event line: `text` is only its English form (as ChatMessage's `event` and `timerChange`). */
      event: GroupEvent.optional(),
      timerChange: TimerChange.optional(),
    })
    .nullable(),
  unread: z.number().int().nonnegative(),
  updatedAt: z.number(),
  /** Disappearing messages: what is written from now on disappears this long (ms) after it is read; null: off. */
  expiresIn: z.number().nullable(),
  /** Pinned on top of the list (in the order they were pinned); null: not pinned. */
  pinnedAt: z.number().nullable(),
  /** Out of the list until a message comes (unless muted). */
  archived: z.boolean(),
  /** No notifications until then (ms); null: not muted. */
  mutedUntil: z.number().nullable(),
  /** Marked unread by this person: shown so until opened. */
  markedUnread: z.boolean(),
  /** What was typed and not sent (this device only). */
  draft: z.string().nullable(),
  /** A direct chat a stranger started: no read receipts go to them until it is accepted (or written to). */
  request: z.boolean(),
  /** A direct chat with someone this person blocks: nothing of theirs is shown, nothing goes to them. */
  blocked: z.boolean(),
  /** The group's owner, who alone adds and removes members; absent for a direct chat and a group made by an earlier release. */
  owner: Username.optional(),
});
export type Conversation = z.infer<typeof Conversation>;

/** A text a message had before an edit, and when the edit replaced it (relay time, ms). */
export const MessageVersion = z.object({ text: z.string(), replacedAt: z.number() });
export type MessageVersion = z.infer<typeof MessageVersion>;

const MessageRef = z.string().min(1).max(64);

export const messageChannels = {
  /**
   * Messages of the whole history that hold every word, best first among the newest matches; with
   * `from` and no word, everything that person wrote, newest first.
   */
  'messages:search': {
    request: z
      .object({
        query: z.union([SearchQuery, z.literal('')]),
        /** Only in this conversation. */
        conversationId: ConversationId.optional(),
        /** Only what this person wrote. */
        from: Username.optional(),
        /** Only messages with files. */
        hasAttachment: z.boolean().optional(),
        limit: z.number().int().min(1).max(200).optional(),
      })
      .strict()
      .refine((r) => r.query !== '' || r.from !== undefined || r.hasAttachment === true, { message: 'type something to search for', path: ['query'] }),
    response: z.array(SearchHit),
  },
  /** Reacts to a message with one emoji (replacing this person's reaction), or with null takes it away. */
  'messages:react': { request: z.object({ messageId: MessageRef, emoji: Emoji.nullable() }).strict(), response: ChatMessage },
  /** Replaces the text of one's own message, within a day of sending it; the old text is kept here. */
  'messages:edit': { request: z.object({ messageId: MessageRef, text: z.string().trim().pipe(MessageText) }).strict(), response: ChatMessage },
  /** Deletes a message here and on one's other devices, or (one's own, within a day) for everyone. */
  'messages:delete': { request: z.object({ messageId: MessageRef, forEveryone: z.boolean() }).strict(), response: z.null() },
  /** Sends a copy of a message, marked forwarded, to a conversation (its files are not uploaded again); answers the copy. */
  'messages:forward': { request: z.object({ messageId: MessageRef, conversationId: ConversationId }).strict(), response: ChatMessage },
  /** Sets the conversation's disappearing-messages timer (ms; null: off) for everyone in it; answers the line saying so. */
  'conversations:setTimer': { request: z.object({ conversationId: ConversationId, expiresIn: TimerMs.nullable() }).strict(), response: ChatMessage },
  /** Pins, archives, mutes or marks unread a conversation, here and on one's other devices; answers it as it is now. */
  'conversations:change': {
    request: z
      .object({
        conversationId: ConversationId,
        pinned: z.boolean().optional(),
        archived: z.boolean().optional(),
        /** Until then (ms; MUTED_ALWAYS: for good); null: unmute. */
        mutedUntil: z.number().int().min(0).max(MUTED_ALWAYS).nullable().optional(),
        markedUnread: z.boolean().optional(),
      })
      .strict(),
    response: Conversation,
  },
  /** Deletes a conversation and everything in it from this device (a group once left). */
  'conversations:delete': { request: z.object({ conversationId: ConversationId }).strict(), response: z.null() },
  /** Keeps what was typed and not sent ('' forgets it); on this device only. */
  'conversations:setDraft': { request: z.object({ conversationId: ConversationId, draft: z.string().max(65_536) }).strict(), response: z.null() },
  /** The texts an edited message had, oldest first. */
  'messages:versions': { request: z.object({ messageId: MessageRef }).strict(), response: z.array(MessageVersion) },
} as const;
