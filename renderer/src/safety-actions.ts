// Safety numbers: fetched when a direct conversation or its panel opens, pushed by core when a
// contact's key changes or someone marks it verified.
import type { SafetyInfo } from '../../shared/ipc.js';
import { invoke } from './api.js';
import { createFreshness } from './lib/freshness.js';
import { useStore } from './store.js';

const state = () => useStore.getState();
const freshness = createFreshness();

/** What core says now: an event, or a fresh answer. */
export function safetyChanged(info: SafetyInfo): void {
  freshness.changed(info.username);
  state().putSafety(info);
}

/** Applies core's answer unless something was heard for this person since the question left. */
async function ask(username: string, question: () => Promise<SafetyInfo>): Promise<void> {
  const ticket = freshness.ticket(username);
  const info = await question();
  // Whatever was heard meanwhile is at least as new: never bring back a stale "verified". At worst a
  // "verified" is missing until the next fetch, which is the safe side to err on.
  if (freshness.isCurrent(username, ticket)) safetyChanged(info);
}

export function loadSafety(username: string): Promise<void> {
  return ask(username, () => invoke('safety:get', { username }));
}

export function loadSafetyQuietly(username: string): void {
  loadSafety(username).catch((error: unknown) => console.warn('loading the safety number failed', error));
}

/** Verifying names the number on screen: core refuses it when the key changed in the meantime. */
export function setVerified(username: string, verified: boolean): Promise<void> {
  const shown = state().safety[username]?.safetyNumber;
  return ask(username, () => invoke('safety:setVerified', { username, verified, ...(verified && shown ? { safetyNumber: shown } : {}) }));
}
