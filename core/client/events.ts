import type { EventEmitter } from 'node:events';
import type { AttachmentView } from '../../shared/attachment.js';
import type { ChatMessage, ConnectionState, Conversation, Presence, PushItem, PushSubscription, SafetyInfo } from '../../shared/ipc.js';
import type { RelayError } from '../relay/error.js';

export interface ClientEvents {
  state: [ConnectionState];
  /** A message was added or its state changed. */
  message: [ChatMessage];
  conversation: [Conversation];
  /** A message newly stored from the relay (from a contact, or sent by this account's other device). */
  received: [ChatMessage];
  /** A reaction, edit or deletion from the relay was stored (the message it changed is told as 'message' or 'removed'). */
  acted: [];
  /** This many messages expired on the relay before this device came back online. */
  expired: [number];
  /** The relay refused this many messages for this device while its queue was full. */
  refused: [number];
  /** The backlog queued while this device was offline has been stored and acked. */
  drained: [];
  /** A login failure that will not fix itself (the relay does not know this device). */
  fatal: [RelayError];
  presence: [Presence];
  typing: [{ conversationId: string; username: string; typing: boolean }];
  /** A contact's identity key changed, or its verification did. */
  safety: [SafetyInfo];
  /** A message left a conversation (a placeholder replaced by the real message in another). */
  removed: [{ conversationId: string; id: string }];
  /** A conversation was deleted (a message request). */
  conversationRemoved: [string];
  /** A push was stored (new), or changed (read). */
  push: [PushItem];
  /** These pushes were deleted. */
  pushRemoved: [string[]];
  pushSubscriptions: [PushSubscription[]];
  /** A file's transfer moved on (at most ten times a second), finished or failed. */
  attachment: [AttachmentView];
}

/** How a part of the client tells the client's listeners, without holding the client. */
export type Emit = EventEmitter<ClientEvents>['emit'];
