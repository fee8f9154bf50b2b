import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsyncAction } from '../../hooks/useAsyncAction.js';
import { parseTopicInput } from '../../lib/topic-input.js';
import { subscribeTopic } from '../../push-actions.js';
import { useStore } from '../../store.js';
import { FormError } from '../FormError.js';
import { Modal } from '../shell/Modal.js';

/**
 * "Subscribe to a topic": a name on this relay, or a topic's URL as its publisher hands it out, on
 * this relay or on another ntfy-compatible server (which this device then reaches directly).
 */
export function SubscribeDialog({ onClose, onSubscribed }: { onClose: () => void; onSubscribed: (topic: string) => void }) {
  const { t } = useTranslation();
  const relayUrl = useStore((s) => s.profile?.serverUrl ?? '');
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  const { pending, error, setError, run } = useAsyncAction();
  const input = useRef<HTMLInputElement>(null);
  const id = useId();

  // After the dialog has focused its title: the field is what a person came for.
  useEffect(() => input.current?.focus(), []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parseTopicInput(text, relayUrl);
    if ('problem' in parsed) {
      setInvalid(true);
      setError(parsed.problem === 'insecure' ? t('pushSubscriptions.insecure', { host: parsed.host }) : t('pushSubscriptions.invalidTopic'));
      input.current?.focus();
      return;
    }
    setInvalid(false);
    void run(async () => {
      await subscribeTopic(parsed.topic);
      onSubscribed(parsed.topic);
      onClose();
    });
  }

  return (
    <Modal title={t('pushSubscriptions.subscribeHeading')} onClose={onClose}>
      {(titleId) => (
        <form className="push-subscribe" noValidate aria-labelledby={titleId} onSubmit={onSubmit}>
          <label htmlFor={`${id}-topic`}>{t('pushSubscriptions.topic')}</label>
          <input
            ref={input}
            id={`${id}-topic`}
            name="topic"
            type="text"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={512}
            aria-invalid={invalid || undefined}
            aria-describedby={`${id}-hint`}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setInvalid(false);
            }}
          />
          <p id={`${id}-hint`} className="hint muted">
            {t('pushSubscriptions.topicHint')}
          </p>
          <FormError error={error} />
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              {t('pushSubscriptions.cancel')}
            </button>
            <button type="submit" className="primary" disabled={pending}>
              {t('pushSubscriptions.submit')}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
