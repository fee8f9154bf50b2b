import { useTranslation } from 'react-i18next';
import { useStore } from '../store.js';

/** Says plainly that messages were lost to the relay's retention while this device was away. */
export function ExpiredNotice() {
  const { t } = useTranslation();
  const count = useStore((s) => s.expiredCount);
  const dismiss = useStore((s) => s.dismissExpired);
  if (count === 0) return null;
  return (
    <div role="status" className="banner banner-info">
      <span>{t('expired.notice', { count })}</span>{' '}
      <button type="button" onClick={dismiss}>
        {t('expired.dismiss')}
      </button>
    </div>
  );
}
