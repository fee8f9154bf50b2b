// What travels inside a sealed envelope, end to end: only the devices it is sealed for read it; the
// relay sees ciphertext. Every payload names its message, sender and time, then what it says.
import { z } from 'zod';
import { MAX_FRAME_BYTES, MAX_RECIPIENTS, MessageId, MessageText, Username } from './protocol.js';
import { AttachmentPointer, MAX_ATTACHMENTS } from './attachment.js';
import { Emoji } from './emoji.js';
import { IdentityKey, Signature, b64url } from './wire-keys.js';

/** A group's id: '#' and 22 base64url characters; never a valid username. */
export const GroupId = z.string().regex(/^#[A-Za-z0-9_-]{22}$/, 'not a group id');
export type GroupId = z.infer<typeof GroupId>;
export const MAX_GROUP_NAME = 64;
export const GroupName = z.string().trim().min(1).max(MAX_GROUP_NAME);

/** Which conversation a payload belongs to, as its sender sees it. */
export const ChatRef = z.discriminatedUnion('type', [
  z.object({ type: z.literal('direct'), peer: Username }),
  z.object({ type: z.literal('group'), id: GroupId }),
]);
export type ChatRef = z.infer<typeof ChatRef>;

const payloadBase = {
  v: z.literal(1),
  messageId: MessageId,
  from: Username,
  /** Sender's clock (ms). Shown, never used to order. */
  sentAt: z.number().int(),
};

/** How much of a quoted message a reply carries: enough to show it where the original is not kept. */
export const MAX_QUOTE_CHARS = 300;
/** The message a reply quotes: its id (to jump to it), author, and the start of its text as it was. */
export const Quote = z.object({ id: MessageId, from: Username, text: z.string().max(MAX_QUOTE_CHARS) });
export type Quote = z.infer<typeof Quote>;

/**
 * How long a message lives once read (its sender's copy: once sent): from a second to four weeks.
 * The app offers Signal's choices (30 s … 4 weeks); the wire takes any, as a script may want one.
 */
export const MAX_TIMER_MS = 28 * 24 * 3600_000;
export const TimerMs = z.number().int().min(1000).max(MAX_TIMER_MS);

/** A message: its text, and the files it carries (then the text is their caption, and may be empty). */
export const TextPayload = z
  .object({
    ...payloadBase,
    kind: z.literal('text'),
    chat: ChatRef,
    text: z.union([MessageText, z.literal('')]),
    attachments: z.array(AttachmentPointer).min(1).max(MAX_ATTACHMENTS).optional(),
    replyTo: Quote.optional(),
    /** Forwarded from another conversation: shown as such. */
    forwarded: z.literal(true).optional(),
    /** It disappears this long after it is read. */
    expiresIn: TimerMs.optional(),
  })
  .refine((p) => p.text !== '' || p.attachments !== undefined, { message: 'a message has text or attachments', path: ['text'] });
export const GroupAction = z.enum(['create', 'add', 'remove', 'leave', 'rename']);
export type GroupAction = z.infer<typeof GroupAction>;
/**
 * Who is in a group, as its owner signed it (shared/group-state.ts). The group's id is a hash of the
 * owner's account key and `salt`, so no other account can sign a state for it; `version` grows with
 * each change, so an old state cannot be played back over a newer one.
 */
export const SignedGroupState = z.object({
  group: GroupId,
  owner: Username,
  ownerKey: IdentityKey,
  salt: b64url(22, 22),
  version: z.number().int().nonnegative().max(2 ** 40),
  name: GroupName,
  members: z.array(Username).min(1).max(MAX_RECIPIENTS),
  signature: Signature,
});
export type SignedGroupState = z.infer<typeof SignedGroupState>;
/** A group's whole state after a change: its receivers replace theirs with it. */
export const GroupPayload = z.object({
  ...payloadBase,
  kind: z.literal('group'),
  group: GroupId,
  name: GroupName,
  /** The member list as the actor sees it, when there is no `state` (which lists them once, signed). */
  members: z.array(Username).min(1).max(MAX_RECIPIENTS).optional(),
  action: GroupAction,
  /** Who was added, removed or left. */
  subjects: z.array(Username).max(MAX_RECIPIENTS),
  /** The owner's signed state after the change; absent from a leave, and from a group made by an earlier release. */
  state: SignedGroupState.optional(),
}).refine((p) => p.members !== undefined || p.state !== undefined, { message: 'a group change lists its members or carries their signed state', path: ['members'] });
/** "I have read these": to the sender (direct chats) and to one's own other devices. */
export const ReadPayload = z.object({
  ...payloadBase,
  kind: z.literal('read'),
  chat: ChatRef,
  messageIds: z.array(MessageId).min(1).max(500),
});
export const TypingPayload = z.object({ ...payloadBase, kind: z.literal('typing'), chat: ChatRef, typing: z.boolean() });
/** To one's own new device: the conversations it should know. */
export const ContactsPayload = z.object({
  ...payloadBase,
  kind: z.literal('contacts'),
  direct: z.array(Username).max(10_000),
  /** Which of `direct` are message requests still (absent from an earlier release: left as they are). */
  requests: z.array(Username).max(10_000).optional(),
  groups: z
    .array(z.object({ id: GroupId, name: GroupName, members: z.array(Username).min(1).max(MAX_RECIPIENTS), state: SignedGroupState.optional() }))
    .max(1000),
});

/** To a device whose message could not be decrypted here: please send these again (over a fresh session). */
export const ResendRequestPayload = z.object({
  ...payloadBase,
  kind: z.literal('resend-request'),
  messageIds: z.array(MessageId).min(1).max(100),
});
/** The answer: a payload sent earlier (its JSON, as first sealed), or null when it is gone. */
export const ResentPayload = z.object({
  ...payloadBase,
  kind: z.literal('resent'),
  original: z.object({ messageId: MessageId, payload: z.string().max(MAX_FRAME_BYTES).nullable() }),
});

/**
 * What a person does to a message already sent (`target`, in the same conversation): a reaction
 * (null takes this person's away; one each, the newest wins), an edit of their own message's text,
 * a deletion of their own message for everyone, or (to their own devices only) a deletion for
 * themselves. Edits and deletions for everyone count within ACTION_WINDOW_MS of the message.
 */
export const ReactionPayload = z.object({ ...payloadBase, kind: z.literal('reaction'), chat: ChatRef, target: MessageId, emoji: Emoji.nullable() });
export const EditPayload = z.object({ ...payloadBase, kind: z.literal('edit'), chat: ChatRef, target: MessageId, text: MessageText });
export const DeletePayload = z.object({ ...payloadBase, kind: z.literal('delete'), chat: ChatRef, target: MessageId, forEveryone: z.boolean() });
export type ActionPayload = z.infer<typeof ReactionPayload> | z.infer<typeof EditPayload> | z.infer<typeof DeletePayload>;
/** Muted with no end: later than any real date. */
export const MUTED_ALWAYS = 8_640_000_000_000_000;
/** To one's own devices: how this person keeps a conversation. The whole state, the newest winning. */
export const ConversationStatePayload = z.object({
  ...payloadBase,
  kind: z.literal('conversation-state'),
  chat: ChatRef,
  pinned: z.boolean(),
  archived: z.boolean(),
  /** Muted until then (ms; MUTED_ALWAYS: for good); null: not muted. */
  mutedUntil: z.number().int().min(0).max(MUTED_ALWAYS).nullable(),
  markedUnread: z.boolean(),
});
export type ConversationState = Pick<z.infer<typeof ConversationStatePayload>, 'pinned' | 'archived' | 'mutedUntil' | 'markedUnread'>;

/**
 * To one's own devices: whether this person blocks `peer`, and whether they accepted a message
 * request from them (accepting is for good: false changes nothing). The newest state wins.
 */
export const PersonStatePayload = z.object({ ...payloadBase, kind: z.literal('person-state'), peer: Username, blocked: z.boolean(), accepted: z.boolean() });

/** How many of its newest messages a deleting device names (see ConversationRemovedPayload). */
export const MAX_NEWEST_REMOVED = 20;
/**
 * To one's own devices: the conversation was deleted on one of them. Each deletes the messages the
 * relay stamped at or before `upTo` (the newest the deleting device held, 0 if none) and up to the
 * `newest` named (their copies may be stamped a moment later); anything later stays.
 */
export const ConversationRemovedPayload = z.object({
  ...payloadBase,
  kind: z.literal('conversation-removed'),
  chat: ChatRef,
  upTo: z.number().int().min(0),
  newest: z.array(MessageId).max(MAX_NEWEST_REMOVED),
});

/** The conversation's disappearing-messages timer, set by anyone in it, for every message from then on (null: off). */
export const TimerPayload = z.object({ ...payloadBase, kind: z.literal('timer'), chat: ChatRef, expiresIn: TimerMs.nullable() });
/** Signal's rule: a message can be edited or deleted for everyone for a day after it was sent. */
export const ACTION_WINDOW_MS = 24 * 3600_000;

export const Payload = z.discriminatedUnion('kind', [
  ConversationStatePayload,
  PersonStatePayload,
  ConversationRemovedPayload,
  TimerPayload,
  ReactionPayload,
  EditPayload,
  DeletePayload,
  TextPayload,
  GroupPayload,
  ReadPayload,
  TypingPayload,
  ContactsPayload,
  ResendRequestPayload,
  ResentPayload,
]);
export type Payload = z.infer<typeof Payload>;
/** A payload without the fields the client fills in when it seals it. */
export type PayloadBody = Payload extends infer P ? (P extends Payload ? Omit<P, 'v' | 'messageId' | 'from' | 'sentAt'> : never) : never;

