// Moving through the conversation list from the keyboard, as Signal and Telegram do: the arrows go
// row by row, Alt with an arrow to the next unread one, Home and End to either end. Rows are the
// list's buttons in the order shown (the archived ones too, while open).

const ROW = 'button.conversation-item';

/** Where the focus goes for that key, from `current`; null when the key is not the list's or leads nowhere. */
export function nextRow<T>(rows: readonly T[], current: T, key: string, alt: boolean, unread: (row: T) => boolean): T | null {
  const at = rows.indexOf(current);
  if (at < 0) return null;
  if (key === 'Home' && !alt) return rows[0] ?? null;
  if (key === 'End' && !alt) return rows.at(-1) ?? null;
  const step = key === 'ArrowDown' ? 1 : key === 'ArrowUp' ? -1 : 0;
  if (step === 0) return null;
  if (!alt) return rows[at + step] ?? null;
  for (let i = at + step; i >= 0 && i < rows.length; i += step) {
    const row = rows[i];
    if (row !== undefined && unread(row)) return row;
  }
  return null;
}

/** The list's key handler: moves the focus and keeps the key from scrolling the list as well. */
export function onListKey(event: React.KeyboardEvent<HTMLElement>): void {
  const target = event.target;
  if (!(target instanceof HTMLElement) || !target.matches(ROW) || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const rows = [...event.currentTarget.querySelectorAll<HTMLElement>(ROW)];
  const next = nextRow(rows, target, event.key, event.altKey, (row) => row.dataset.unread !== undefined);
  if (next === null) {
    // An arrow at either end (or with no unread one further) stays put, rather than scrolling away.
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') event.preventDefault();
    return;
  }
  event.preventDefault();
  next.focus();
}
