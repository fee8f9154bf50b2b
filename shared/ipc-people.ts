// The IPC contract's channels for blocking people and answering message requests (shared/ipc.ts).
import { z } from 'zod';
import { Username } from './protocol.js';
import { Conversation, ConversationId } from './ipc-messages.js';

export const peopleChannels = {
  /** Blocks (or unblocks) a person, here and on one's other devices; answers their direct chat, if there is one. */
  'people:block': { request: z.object({ username: Username, blocked: z.boolean() }).strict(), response: Conversation.nullable() },
  /** Accepts a message request: the chat becomes like any other, here and on one's other devices. */
  'conversations:accept': { request: z.object({ username: Username }).strict(), response: Conversation },
  /** Deletes a message request and its messages (here only). */
  'conversations:deleteRequest': { request: z.object({ username: Username }).strict(), response: z.null() },
} as const;

export const peopleEvents = {
  /** A conversation was deleted (a message request). */
  'conversation-removed': z.object({ conversationId: ConversationId }),
} as const;
