import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsyncAction } from '../../hooks/useAsyncAction.js';
import { remoteTopic } from '../../../../shared/push-topic-key.js';
import { publishBase } from '../../lib/topic-input.js';
import { setTopicMinPriority, setTopicMuted, unsubscribeTopic } from '../../push-actions.js';
import { useStore } from '../../store.js';
import { FormError } from '../FormError.js';
import { Modal } from '../shell/Modal.js';

const LEVELS = ['min', 'low', 'default', 'high', 'max'] as const;

/**
 * One topic's side sheet: muting it, the priority it notifies from, how a program publishes to it,
 * and unsubscribing. Unsubscribing closes the sheet: `onUnsubscribed` says where focus goes.
 */
export function TopicSettingsSheet({ topic, onClose, onUnsubscribed }: { topic: string; onClose: () => void; onUnsubscribed: () => void }) {
  const { t } = useTranslation();
  const subscription = useStore((s) => s.pushSubscriptions.find((sub) => sub.topic === topic));
  const base = useStore((s) => publishBase(s.profile?.serverUrl ?? ''));
  const remote = remoteTopic(topic);
  const publishUrl = remote ? remote.url : base && `${base}/${topic}`;
  const { pending, error, run } = useAsyncAction();
  const id = useId();
  // Shown at once, as a checkbox should be; core's answer (or its refusal) then takes over.
  const [mutedAsked, setMutedAsked] = useState<boolean | null>(null);
  const muted = mutedAsked ?? subscription?.muted ?? false;

  function setMuted(next: boolean) {
    setMutedAsked(next);
    void run(() => setTopicMuted(topic, next)).finally(() => setMutedAsked(null));
  }

  async function unsubscribe() {
    if (await run(() => unsubscribeTopic(topic))) onUnsubscribed();
  }

  return (
    <Modal title={t('pushSubscriptions.settingsTitle', { topic })} onClose={onClose} sheet>
      {() => (
        <div className="topic-settings">
          {subscription ? (
            <>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={muted}
                  disabled={pending}
                  aria-describedby={`${id}-mute-hint`}
                  onChange={(e) => setMuted(e.target.checked)}
                />
                {t('pushSubscriptions.muteTopic')}
              </label>
              <p id={`${id}-mute-hint`} className="hint muted">
                {t('pushSubscriptions.muteHint')}
              </p>
              <label htmlFor={`${id}-level`}>{t('pushSubscriptions.minPriority', { topic })}</label>
              <select
                id={`${id}-level`}
                value={subscription.minPriority}
                disabled={pending || muted}
                onChange={(e) => void run(() => setTopicMinPriority(topic, Number(e.target.value)))}
              >
                {LEVELS.map((level, i) => (
                  <option key={level} value={i + 1}>
                    {t(`pushSubscriptions.minPriorityOption.${level}`)}
                  </option>
                ))}
              </select>
            </>
          ) : (
            <p className="muted">{t('pushSubscriptions.notSubscribed', { topic })}</p>
          )}
          {remote && <p className="hint muted">{t('pushSubscriptions.remoteHint', { host: remote.host })}</p>}
          {publishUrl && (
            <div className="topic-publish">
              <h3>{t('pushSubscriptions.publishHeading')}</h3>
              <p className="hint muted">{t('pushSubscriptions.publishHint')}</p>
              <pre>
                <code>{`curl -d "${t('pushSubscriptions.publishSample')}" ${publishUrl}`}</code>
              </pre>
            </div>
          )}
          {subscription && (
            <button type="button" className="danger" disabled={pending} onClick={() => void unsubscribe()}>
              {t('pushSubscriptions.unsubscribe')}
            </button>
          )}
          <FormError error={error} />
        </div>
      )}
    </Modal>
  );
}
