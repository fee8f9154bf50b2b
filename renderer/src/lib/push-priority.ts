// ntfy's five priorities, as the notification center and the toasts mark them. Default (3) is
// unmarked: most pushes have it, and a mark on every one would say nothing.
import { ArrowDown, ArrowUp, OctagonAlert, type LucideIcon } from 'lucide-react';

export type PriorityLevel = 'min' | 'low' | 'default' | 'high' | 'max';

const LEVELS: readonly PriorityLevel[] = ['min', 'low', 'default', 'high', 'max'];

/** Out-of-range numbers (not in the contract, but from an older core) read as the nearest level. */
export function priorityLevel(priority: number): PriorityLevel {
  const index = Math.min(5, Math.max(1, Math.round(Number.isFinite(priority) ? priority : 3))) - 1;
  return LEVELS[index] ?? 'default';
}

/** What marks a push of this priority: an icon beside the words (never the icon alone); null for default. */
export function priorityIcon(level: PriorityLevel): LucideIcon | null {
  switch (level) {
    case 'min':
    case 'low':
      return ArrowDown;
    case 'default':
      return null;
    case 'high':
      return ArrowUp;
    case 'max':
      return OctagonAlert;
  }
}

/** The locale key of the words that go with the mark (push.priority.*). */
export function priorityLabelKey(level: PriorityLevel): `push.priority.${PriorityLevel}` {
  return `push.priority.${level}`;
}
