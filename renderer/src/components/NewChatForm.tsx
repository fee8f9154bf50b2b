import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { startChat } from '../actions.js';
import { errorMessage } from '../api.js';

export function NewChatForm() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending || username.trim() === '') return;
    setPending(true);
    setError(null);
    try {
      await startChat(username);
      setUsername('');
    } catch (err) {
      setError(errorMessage(err, t('errors.unknown')));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="new-chat" noValidate aria-labelledby={`${id}-title`} onSubmit={(e) => void onSubmit(e)}>
      <h2 id={`${id}-title`}>{t('newChat.heading')}</h2>
      <div className="new-chat-row">
        <label htmlFor={`${id}-username`} className="visually-hidden">
          {t('newChat.username')}
        </label>
        <input
          id={`${id}-username`}
          name="username"
          type="text"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          placeholder={t('newChat.username')}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <button type="submit" disabled={pending}>
          {t('newChat.submit')}
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
