import { useEffect } from 'react';
import { createIdleTracker, IDLE_TIMEOUT_MS } from '../lib/idle.js';
import { realClock } from '../lib/timers.js';
import { reportActivity } from '../presence-actions.js';

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Away after 5 minutes without input (or hidden that long); online again on the next input.
 * Off where the host follows the whole system's idle time instead (the desktop app).
 */
export function useIdlePresence(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const tracker = createIdleTracker({ timeoutMs: IDLE_TIMEOUT_MS, clock: realClock, onChange: reportActivity });
    const onActivity = () => tracker.activity();
    const onVisibility = () => tracker.setHidden(document.visibilityState === 'hidden');
    if (document.visibilityState === 'hidden') tracker.setHidden(true);
    const options = { passive: true, capture: true } as const;
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, options);
    window.addEventListener('focus', onActivity);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, options);
      window.removeEventListener('focus', onActivity);
      document.removeEventListener('visibilitychange', onVisibility);
      tracker.dispose();
    };
  }, [enabled]);
}
