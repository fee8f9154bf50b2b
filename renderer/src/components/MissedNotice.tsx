import { useTranslation } from 'react-i18next';
import { dismissMissed } from '../actions.js';
import { useStore } from '../store.js';

/**
 * Says plainly that messages never reached this device: lost to the relay's retention while it was
 * away, or refused while its queue on the relay was full.
 */
export function MissedNotice() {
  const { t } = useTranslation();
  const { expired, refused } = useStore((s) => s.missed);
  if (expired === 0 && refused === 0) return null;
  return (
    <div role="status" className="banner banner-info">
      {expired > 0 && <span>{t('missed.expired', { count: expired })}</span>}{' '}
      {refused > 0 && <span>{t('missed.refused', { count: refused })}</span>}{' '}
      <button type="button" onClick={dismissMissed}>
        {t('missed.dismiss')}
      </button>
    </div>
  );
}
