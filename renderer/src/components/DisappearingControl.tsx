import { Timer } from 'lucide-react';
import { useId, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api.js';
import { setDisappearing } from '../message-actions.js';
import { TIMER_CHOICES, timerText } from '../lib/timer-text.js';
import { useStore } from '../store.js';

/** The conversation's disappearing-messages timer, in its header: anyone in it may change it for everyone. */
export function DisappearingControl({ conversationId }: { conversationId: string }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const current = useStore((s) => s.conversations.find((c) => c.id === conversationId)?.expiresIn ?? null);
  const [error, setError] = useState<string | null>(null);
  // A timer set by a script may be none of the app's choices: it is listed too.
  const choices = TIMER_CHOICES.includes(current) ? TIMER_CHOICES : [...TIMER_CHOICES, current];
  const label = (ms: number | null) => (ms === null ? t('disappearing.off') : timerText(ms, i18n.language));
  const onChange = (event: ChangeEvent<HTMLSelectElement>) => {
    const value = event.target.value === '' ? null : Number(event.target.value);
    setError(null);
    setDisappearing(conversationId, value).catch((err: unknown) => setError(errorMessage(err)));
  };
  return (
    <div className="disappearing-control" data-on={current !== null || undefined}>
      <label htmlFor={`${id}-timer`}>
        <Timer size={17} aria-hidden="true" />
        <span className="visually-hidden">{t('disappearing.label')}</span>
      </label>
      <select id={`${id}-timer`} value={current ?? ''} title={t('disappearing.label')} onChange={onChange}>
        {choices.map((ms) => (
          <option key={ms ?? 'off'} value={ms ?? ''}>
            {label(ms)}
          </option>
        ))}
      </select>
      {error && (
        <p className="header-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
