// history: a conversation from this profile's local history, without the relay.
import { z } from 'zod';
import type { WarblerClient } from '../../core/client.js';
import { messageLine, writeLines } from '../output.js';

export const DEFAULT_HISTORY_LIMIT = 50;
export const MAX_HISTORY_LIMIT = 10_000;

export const HistoryLimit = z
  .string()
  .regex(/^\d+$/)
  .transform(Number)
  .pipe(z.number().int().min(1).max(MAX_HISTORY_LIMIT));

export interface HistoryOptions {
  json: boolean;
  limit: number;
}

/**
 * The newest `limit` messages as they stand now (edited, with their reactions; a message deleted
 * for everyone left out), oldest first; throws when the profile has no such conversation.
 */
export async function printHistory(client: WarblerClient, conversationId: string, { json, limit }: HistoryOptions): Promise<void> {
  if (!client.conversation(conversationId)) throw new Error(`this profile has no conversation with ${conversationId}`);
  const shown = client.messages(conversationId, limit).filter((m) => m.deletedAt === undefined);
  await writeLines(shown.map((m) => messageLine(m, json)));
}
