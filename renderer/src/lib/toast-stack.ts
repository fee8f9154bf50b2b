// Which in-page toasts show: a stack of at most three, and a count of the rest ("and 2 more").

/** What of a toast decides its place: its priority (pushes only) and when it came. */
export interface Stackable {
  priority?: number | undefined;
}

/** At most this many toasts are drawn; the rest are counted. */
export const SHOWN_TOASTS = 3;

/** Toasts kept, shown or counted: a flood of pushes must not grow the page's memory without end. */
export const KEPT_TOASTS = 50;

/** A toast leaves by itself after this long, as an OS notification does; what it told stays in the unread counts. */
export const TOAST_MS = 10_000;

/** Max-priority pushes stay until dismissed, as their OS notifications do (critical urgency). */
export const stays = (toast: Stackable) => toast.priority === 5;

/**
 * The toasts to draw, in order (`toasts` oldest first, as they came): max-priority pushes first,
 * then the newest. `more` is how many are left out.
 */
export function toastStack<T extends Stackable>(toasts: readonly T[]): { shown: T[]; more: number } {
  const newestFirst = [...toasts].reverse();
  const ordered = [...newestFirst.filter(stays), ...newestFirst.filter((t) => !stays(t))];
  return { shown: ordered.slice(0, SHOWN_TOASTS), more: Math.max(0, ordered.length - SHOWN_TOASTS) };
}
