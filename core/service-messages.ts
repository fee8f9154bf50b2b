// The channels of the IPC contract that search messages and act on one (shared/ipc-messages.ts), on
// the service's current client. Actions are queued: they reach the relay when it can be reached.
import type { z } from 'zod';
import type { InvokeResponse, invokeContract } from '../shared/ipc.js';
import type { messageChannels } from '../shared/ipc-messages.js';
import type { WarblerClient } from './client.js';

type MessageChannel = keyof typeof messageChannels;
type MessageHandlers = { [C in MessageChannel]: (request: z.output<(typeof invokeContract)[C]['request']>) => Promise<InvokeResponse<C>> };

export function messageHandlers(client: () => WarblerClient): MessageHandlers {
  return {
    'messages:search': async ({ query, conversationId, from, hasAttachment, limit }) =>
      client().search(query, {
        ...(limit !== undefined ? { limit } : {}),
        ...(hasAttachment !== undefined ? { hasAttachment } : {}),
        ...(conversationId !== undefined ? { conversation: conversationId } : {}),
        ...(from !== undefined ? { from } : {}),
      }),
    'messages:react': ({ messageId, emoji }) => client().react(messageId, emoji),
    'messages:edit': ({ messageId, text }) => client().edit(messageId, text),
    'messages:delete': async ({ messageId, forEveryone }) => {
      await client().deleteMessage(messageId, { queue: true, forEveryone });
      return null;
    },
    'messages:forward': ({ messageId, conversationId }) => client().forward(messageId, conversationId),
    'messages:versions': async ({ messageId }) => client().messageVersions(messageId),
    'conversations:setTimer': async ({ conversationId, expiresIn }) => client().setDisappearing(conversationId, expiresIn),
    'conversations:change': async ({ conversationId, ...patch }) => client().changeConversation(conversationId, patch),
    'conversations:delete': async ({ conversationId }) => {
      client().deleteConversation(conversationId);
      return null;
    },
    'conversations:setDraft': async ({ conversationId, draft }) => {
      client().setDraft(conversationId, draft);
      return null;
    },
  };
}
