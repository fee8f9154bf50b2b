// Whether a username is free on a relay, asked before registering so the first-run form can say so
// as the name is typed. Only a hint: registering is what decides, and a relay that cannot be
// reached (or predates the question) leaves the answer unknown rather than failing the form.
import { z } from 'zod';
import { relayHttpUrl } from '../shared/urls.js';

export type UsernameState = 'available' | 'taken' | 'unknown';

const Answer = z.object({ username: z.string(), available: z.boolean() });

/** No answer within this long: the person is typing, the hint is not worth a longer wait. */
const CHECK_TIMEOUT_MS = 4_000;

export async function checkUsername(serverUrl: string, username: string): Promise<UsernameState> {
  let base: string;
  try {
    base = relayHttpUrl(serverUrl);
  } catch {
    return 'unknown';
  }
  try {
    const response = await fetch(`${base}/v1/usernames/${encodeURIComponent(username)}`, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
    if (!response.ok) return 'unknown';
    const answer = Answer.safeParse(await response.json());
    if (!answer.success || answer.data.username !== username) return 'unknown';
    return answer.data.available ? 'available' : 'taken';
  } catch {
    return 'unknown';
  }
}
