import { useEffect, useState } from 'react';
import { Username } from '../../../shared/protocol.js';
import { invoke } from '../api.js';

/** What the first-run form says of the username typed so far. */
export type UsernameCheck =
  | { state: 'empty' }
  /** Not a username at all: the rule it breaks is the field's hint. */
  | { state: 'invalid' }
  | { state: 'checking'; username: string }
  | { state: 'available' | 'taken' | 'unknown'; username: string };

/** Asked once typing pauses this long: not a request per keystroke. */
const PAUSE_MS = 350;

/**
 * The username's shape is checked at once, in the page; whether it is free, by the relay once
 * typing pauses. A late answer for a name no longer in the field is dropped.
 */
export function useUsernameCheck(serverUrl: string, typed: string): UsernameCheck {
  const parsed = Username.safeParse(typed);
  const username = parsed.success ? parsed.data : null;
  const [answer, setAnswer] = useState<{ key: string; state: 'available' | 'taken' | 'unknown' } | null>(null);
  const key = `${serverUrl}\n${username ?? ''}`;

  useEffect(() => {
    if (username === null) return;
    let current = true;
    const timer = setTimeout(() => {
      invoke('account:checkUsername', { serverUrl: serverUrl.trim(), username })
        .then(({ state }) => current && setAnswer({ key, state }))
        .catch(() => current && setAnswer({ key, state: 'unknown' }));
    }, PAUSE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key]);

  if (typed.trim() === '') return { state: 'empty' };
  if (username === null) return { state: 'invalid' };
  if (answer?.key !== key) return { state: 'checking', username };
  return { state: answer.state, username };
}
