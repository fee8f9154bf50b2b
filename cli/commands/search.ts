// search: the messages of this profile's whole local history that hold the words, best first,
// without the relay. Nothing is printed when nothing matches.
import type { WarblerClient } from '../../core/client.js';
import type { SearchHit } from '../../shared/ipc.js';
import { writeLines } from '../output.js';

export const DEFAULT_SEARCH_RESULTS = 20;

function hitLine(hit: SearchHit, json: boolean): string {
  if (json) {
    const { id, conversation, from, text, sentAt } = hit;
    return JSON.stringify({ id, conversation, from, text, sentAt });
  }
  const when = new Date(hit.serverTime ?? hit.sentAt).toLocaleString();
  const where = hit.conversation === hit.from ? hit.from : `${hit.from} in ${hit.conversation}`;
  return `[${when}] ${where}: ${hit.text}`;
}

export interface SearchCommandOptions {
  json: boolean;
  limit: number;
  /** Only what this person wrote. */
  from?: string;
  /** Only messages with files. */
  hasAttachment?: boolean;
}

export async function printSearch(client: WarblerClient, query: string, { json, limit, from, hasAttachment }: SearchCommandOptions): Promise<void> {
  const hits = client.search(query, { limit, hasAttachment, ...(from !== undefined ? { from } : {}) });
  await writeLines(hits.map((hit) => hitLine(hit, json)));
}
