import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../store.js';
import { retryConnection, trustRelayKey } from '../actions.js';
import { errorMessage } from '../api.js';

/** Visible whenever the relay connection is not online; says why when it stopped for good. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const connection = useStore((s) => s.connection);
  const error = useStore((s) => s.connectionError);
  const [busy, setBusy] = useState(false);
  // "Stay disconnected" only puts the choice away: the reason stays, and Reconnect asks again.
  const [declined, setDeclined] = useState<string | null>(null);
  if (connection === 'online') return null;
  if (error && connection === 'offline') {
    const fingerprint = error.code === 'relay_key_changed' ? error.params?.['fingerprint'] : undefined;
    if (typeof fingerprint === 'string' && declined !== fingerprint) {
      return (
        <div role="alert" className="banner banner-offline banner-choice">
          <p>{errorMessage(error)}</p>
          <div className="banner-buttons">
            <button
              type="button"
              disabled={busy}
              onClick={() => {
                setBusy(true);
                void trustRelayKey(fingerprint).finally(() => setBusy(false));
              }}
            >
              {t('connection.trustKey')}
            </button>
            <button type="button" disabled={busy} onClick={() => setDeclined(fingerprint)}>
              {t('connection.stayDisconnected')}
            </button>
          </div>
        </div>
      );
    }
    return (
      <div role="alert" className="banner banner-offline">
        <span>{t('connection.stopped', { reason: errorMessage(error) })}</span>{' '}
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            setDeclined(null);
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
