import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PushSubscription } from '../../../shared/ipc.js';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { normalizeTopic } from '../lib/topics.js';
import { setTopicMinPriority, setTopicMuted, subscribeTopic, unsubscribeTopic } from '../push-actions.js';
import { useStore } from '../store.js';
import { FormError } from './FormError.js';

/** In the notification center: subscribing to a topic, and the topics subscribed to. */
export function PushSubscriptions() {
  const { t } = useTranslation();
  const subscriptions = useStore((s) => s.pushSubscriptions);
  const id = useId();
  const list = useRef<HTMLHeadingElement>(null);

  return (
    <div className="push-subscriptions">
      <SubscribeForm />
      <section aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`} ref={list} tabIndex={-1}>
          {t('pushSubscriptions.heading')}
        </h3>
        {subscriptions.length === 0 ? (
          <p className="muted">{t('pushSubscriptions.none')}</p>
        ) : (
          <ul className="push-subscription-list" aria-labelledby={`${id}-title`}>
            {subscriptions.map((subscription) => (
              <SubscriptionRow
                key={subscription.topic}
                subscription={subscription}
                // Its row (and the button that had focus) is gone.
                onUnsubscribed={() => list.current?.focus()}
              />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function SubscribeForm() {
  const { t } = useTranslation();
  const [topic, setTopic] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const { pending, error, setError, run } = useAsyncAction();
  const input = useRef<HTMLInputElement>(null);
  const id = useId();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(null);
    const name = normalizeTopic(topic);
    if (name === null) {
      setInvalid(true);
      setError(t('pushSubscriptions.invalidTopic'));
      input.current?.focus();
      return;
    }
    setInvalid(false);
    void run(async () => {
      await subscribeTopic(name);
      setTopic('');
      setDone(name);
    });
  }

  return (
    <form className="push-subscribe" noValidate aria-labelledby={`${id}-title`} onSubmit={onSubmit}>
      <h3 id={`${id}-title`}>{t('pushSubscriptions.subscribeHeading')}</h3>
      <label htmlFor={`${id}-topic`}>{t('pushSubscriptions.topic')}</label>
      <div className="inline-row">
        <input
          ref={input}
          id={`${id}-topic`}
          name="topic"
          type="text"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
          aria-invalid={invalid || undefined}
          aria-describedby={`${id}-hint`}
          value={topic}
          onChange={(e) => {
            setTopic(e.target.value);
            setInvalid(false);
          }}
        />
        <button type="submit" disabled={pending}>
          {t('pushSubscriptions.submit')}
        </button>
      </div>
      <p id={`${id}-hint`} className="hint muted">
        {t('pushSubscriptions.topicHint')}
      </p>
      <FormError error={error} />
      <p role="status" className={done ? 'success' : undefined}>
        {done ? t('pushSubscriptions.subscribed', { topic: done }) : ''}
      </p>
    </form>
  );
}

function SubscriptionRow({ subscription, onUnsubscribed }: { subscription: PushSubscription; onUnsubscribed: () => void }) {
  const { t } = useTranslation();
  const { pending, error, run } = useAsyncAction();
  const { topic, muted, minPriority } = subscription;
  const selectId = useId();

  async function unsubscribe() {
    if (await run(() => unsubscribeTopic(topic))) onUnsubscribed();
  }

  return (
    <li className="push-subscription">
      <span className="push-subscription-topic">
        {topic}
        {muted && <span className="push-muted"> {t('pushSubscriptions.muted')}</span>}
      </span>
      <span className="inline-row">
        <label htmlFor={selectId} className="visually-hidden">
          {t('pushSubscriptions.minPriority', { topic })}
        </label>
        <select
          id={selectId}
          value={minPriority}
          disabled={pending || muted}
          onChange={(e) => void run(() => setTopicMinPriority(topic, Number(e.target.value)))}
        >
          {(['min', 'low', 'default', 'high', 'max'] as const).map((level, i) => (
            <option key={level} value={i + 1}>
              {t(`pushSubscriptions.minPriorityOption.${level}`)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="small"
          aria-label={muted ? t('pushSubscriptions.unmuteLabel', { topic }) : t('pushSubscriptions.muteLabel', { topic })}
          disabled={pending}
          onClick={() => void run(() => setTopicMuted(topic, !muted))}
        >
          {muted ? t('pushSubscriptions.unmute') : t('pushSubscriptions.mute')}
        </button>
        <button
          type="button"
          className="small"
          aria-label={t('pushSubscriptions.unsubscribeLabel', { topic })}
          disabled={pending}
          onClick={() => void unsubscribe()}
        >
          {t('pushSubscriptions.unsubscribe')}
        </button>
      </span>
      <FormError error={error} />
    </li>
  );
}
