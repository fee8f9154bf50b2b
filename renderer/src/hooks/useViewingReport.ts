import { useEffect } from 'react';
import { reportViewing } from '../desktop-actions.js';
import { useStore } from '../store.js';

/** Keeps core told which conversation is on screen, and whether the window has focus. */
export function useViewingReport(): void {
  // The open conversation is not on screen while the notifications take its place.
  const selectedId = useStore((s) => (s.pushCenter === null ? s.selectedId : null));
  useEffect(() => {
    const report = () => reportViewing(selectedId, document.visibilityState === 'visible' && document.hasFocus());
    report();
    window.addEventListener('focus', report);
    window.addEventListener('blur', report);
    document.addEventListener('visibilitychange', report);
    return () => {
      window.removeEventListener('focus', report);
      window.removeEventListener('blur', report);
      document.removeEventListener('visibilitychange', report);
    };
  }, [selectedId]);
}
