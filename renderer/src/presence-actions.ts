// Presence: others' (listed on start and reconnect, then pushed), and this person's own (away, hidden).
import type { ActivityState } from './lib/idle.js';
import { invoke } from './api.js';
import { useStore } from './store.js';

const state = () => useStore.getState();

export async function loadPresence(): Promise<void> {
  const list = await invoke('presence:list', {});
  state().setPresenceList(list);
}

export function loadPresenceQuietly(): void {
  loadPresence().catch((error: unknown) => console.warn('loading presence failed', error));
}

/** Idle tracking says online/away: tell core (only called on changes). */
export function reportActivity(activity: ActivityState): void {
  invoke('presence:set', { state: activity }).catch((error: unknown) => console.warn('presence:set failed', error));
}

/** Optimistic; put back if core refuses. */
export async function setPresenceHidden(hidden: boolean): Promise<void> {
  const previous = state().presenceHidden;
  state().setPresenceHidden(hidden);
  try {
    await invoke('presence:set', { hidden });
  } catch (error) {
    state().setPresenceHidden(previous);
    throw error;
  }
}
