import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../shared/ipc.js';
import { errorMessage } from '../api.js';
import { acceptRequest, deleteRequest, setBlocked } from '../people-actions.js';
import { FormError } from './FormError.js';

/**
 * Above the composer, a message request: accept, block or delete (writing back accepts too). In
 * place of the composer, a blocked person: unblock. Null for any other conversation.
 */
export function RequestBanner({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!conversation.blocked && !conversation.request) return null;
  const name = conversation.title;
  const run = (action: () => Promise<unknown>) => {
    setError(null);
    action().catch((err: unknown) => setError(errorMessage(err)));
  };
  const failure = <FormError error={error} />;
  if (conversation.blocked) {
    return (
      <section className="request-banner" aria-label={t('people.blocked')}>
        <p>{t('people.blockedNotice', { name })}</p>
        <div className="request-actions">
          <button type="button" onClick={() => run(() => setBlocked(conversation.id, false))}>
            {t('people.unblock')}
          </button>
        </div>
        {failure}
      </section>
    );
  }
  return (
    <section className="request-banner" aria-label={t('people.request')}>
      <p>{t('people.requestNotice', { name })}</p>
      {confirming ? (
        <div className="request-actions" role="alertdialog" aria-label={t('people.delete')}>
          <p>{t('people.confirmDelete', { name })}</p>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('people.cancel')}
          </button>
          <button type="button" className="danger" onClick={() => run(() => deleteRequest(conversation.id))}>
            {t('people.delete')}
          </button>
        </div>
      ) : (
        <div className="request-actions">
          <button type="button" className="danger" onClick={() => run(() => setBlocked(conversation.id, true))}>
            {t('people.block')}
          </button>
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {t('people.delete')}
          </button>
          <button type="button" className="primary" onClick={() => run(() => acceptRequest(conversation.id))}>
            {t('people.accept')}
          </button>
        </div>
      )}
      {failure}
    </section>
  );
}
