import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../store.js';
import { retryConnection } from '../actions.js';
import { errorMessage } from '../api.js';

/** Visible whenever the relay connection is not online; says why when it stopped for good. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const connection = useStore((s) => s.connection);
  const error = useStore((s) => s.connectionError);
  const [busy, setBusy] = useState(false);
  if (connection === 'online') return null;
  if (error && connection === 'offline') {
    return (
      <div role="alert" className="banner banner-offline">
        <span>{t('connection.stopped', { reason: errorMessage(error) })}</span>{' '}
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void retryConnection().finally(() => setBusy(false));
          }}
        >
          {t('connection.retry')}
        </button>
      </div>
    );
  }
  return (
    <div role="status" className={`banner banner-${connection}`}>
      {connection === 'connecting' ? t('connection.connecting') : t('connection.offline')}
    </div>
  );
}
