import { useEffect } from 'react';
import { hasBridge } from '../api.js';
import { followAppearance } from '../appearance.js';
import { loadSettings } from '../desktop-actions.js';

/** The theme and language chosen in Settings, on every screen from the first (unlock and first run too). */
export function useAppearance(): void {
  useEffect(() => {
    const stop = followAppearance();
    if (hasBridge()) loadSettings().catch((error: unknown) => console.warn('loading settings failed', error));
    return stop;
  }, []);
}
