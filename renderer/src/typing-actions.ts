// Who is typing, as told by 'typing' events. An entry disappears on typing:false, when that person's
// message arrives, or TYPING_SHOW_MS after their last typing:true (a lost typing:false must not linger).
import { invoke } from './api.js';
import { useStore } from './store.js';

export const TYPING_SHOW_MS = 6_000;

const timers = new Map<string, ReturnType<typeof setTimeout>>();
const key = (conversationId: string, username: string) => `${conversationId}\n${username}`;

function clearTimer(k: string): void {
  const timer = timers.get(k);
  if (timer !== undefined) clearTimeout(timer);
  timers.delete(k);
}

/** `forMs`: how long it shows without news; less than the whole for one heard before this window opened. */
export function showTyping(conversationId: string, username: string, typing: boolean, forMs = TYPING_SHOW_MS): void {
  const { profile, setTyping } = useStore.getState();
  if (username === profile?.username) return; // this account's other devices
  const k = key(conversationId, username);
  clearTimer(k);
  setTyping(conversationId, username, typing);
  if (typing) {
    timers.set(
      k,
      setTimeout(() => {
        timers.delete(k);
        useStore.getState().setTyping(conversationId, username, false);
      }, forMs),
    );
  }
}

/** Who core heard typing before this window opened (or reloaded): shown for what is left of their time. */
export function showTypingHeard(heard: readonly { conversationId: string; username: string; at: number }[]): void {
  const now = Date.now();
  for (const { conversationId, username, at } of heard) {
    const left = at + TYPING_SHOW_MS - now;
    if (left > 0) showTyping(conversationId, username, true, left);
  }
}

/** Their message arrived: they are done typing it. */
export function stoppedTyping(conversationId: string, username: string): void {
  if (!timers.has(key(conversationId, username))) return;
  showTyping(conversationId, username, false);
}

/** This person's own typing, for the composer. */
export function sendTyping(conversationId: string, typing: boolean): void {
  invoke('conversations:typing', { conversationId, typing }).catch((error: unknown) =>
    console.warn('conversations:typing failed', error),
  );
}
