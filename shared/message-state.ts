// Kept free of zod so the renderer bundle can use it without pulling in the schemas.
import type { MessageState } from './ipc.js';

/** States only move forward: a late 'sending' never undoes 'failed' or 'sent', nor 'sent' 'delivered' or 'read'. */
export const MESSAGE_STATE_PROGRESS: Readonly<Record<MessageState, number>> = { sending: 0, failed: 1, sent: 2, delivered: 3, read: 4 };
