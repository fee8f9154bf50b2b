import { useTranslation } from 'react-i18next';
import { useStore } from '../store.js';

/** Visible whenever the relay connection is not online. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const connection = useStore((s) => s.connection);
  if (connection === 'online') return null;
  return (
    <div role="status" className={`banner banner-${connection}`}>
      {connection === 'connecting' ? t('connection.connecting') : t('connection.offline')}
    </div>
  );
}
