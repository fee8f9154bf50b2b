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

/** What the person chose to show: online (away when idle), away, or invisible (offline to all). */
export type PresenceChoice = 'online' | 'away' | 'invisible';

export function presenceChoiceOf(s: { presenceHidden: boolean; presenceAway: boolean }): PresenceChoice {
  if (s.presenceHidden) return 'invisible';
  return s.presenceAway ? 'away' : 'online';
}

/** Optimistic; put back if core refuses. */
export async function setPresenceChoice(choice: PresenceChoice): Promise<void> {
  const previous = { hidden: state().presenceHidden, away: state().presenceAway };
  const next = { hidden: choice === 'invisible', away: choice === 'away' };
  state().setPresenceChoice(next);
  try {
    await invoke('presence:set', next);
  } catch (error) {
    state().setPresenceChoice(previous);
    throw error;
  }
}
