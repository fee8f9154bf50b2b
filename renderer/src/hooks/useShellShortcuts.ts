import { useEffect, useRef } from 'react';
import { shellAction, type ShellAction } from '../lib/shortcuts.js';

/**
 * Ctrl/Cmd+1 and +2: the views; Ctrl/Cmd+, Settings; Ctrl/Cmd+/ the shortcuts sheet. Not while a
 * modal dialog is open: what is behind it stays as it is until it closes.
 */
export function useShellShortcuts(run: (action: ShellAction) => void): void {
  const current = useRef(run);
  current.current = run;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = shellAction(event);
      if (action === null) return;
      event.preventDefault();
      if (document.querySelector('dialog:modal')) return;
      current.current(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
