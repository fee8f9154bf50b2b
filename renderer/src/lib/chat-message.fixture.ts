// A received text message for the renderer's tests: what a test does not name is of no interest to it.
import type { ChatMessage } from '../../../shared/ipc.js';

export function chatMessage(id: string, sentAt: number, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id,
    conversationId: 'bob',
    sender: 'bob',
    outgoing: false,
    text: '',
    sentAt,
    serverTime: sentAt,
    state: 'delivered',
    kind: 'text',
    event: null,
    ...overrides,
  };
}
