import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { register } from '../actions.js';
import { errorMessage } from '../api.js';
import { useStore } from '../store.js';
import { LinkAccount } from './LinkAccount.js';

/** Create an account, or link this device to one that exists (straight to the code if one is pending). */
export function FirstRun() {
  const hasPendingLink = useStore((s) => s.pendingLink !== null);
  const [mode, setMode] = useState<'register' | 'link'>(hasPendingLink ? 'link' : 'register');
  if (mode === 'link') return <LinkAccount onCancel={() => setMode('register')} />;
  return <Register onLink={() => setMode('link')} />;
}

function Register({ onLink }: { onLink: () => void }) {
  const { t } = useTranslation();
  const defaultServerUrl = useStore((s) => s.defaultServerUrl);
  const [serverUrl, setServerUrl] = useState(defaultServerUrl);
  const [username, setUsername] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await register(serverUrl, username);
      // The store switches to the main screen; this component unmounts.
    } catch (err) {
      setError(errorMessage(err, t('errors.unknown')));
      setPending(false);
    }
  }

  return (
    <main className="centered">
      <div className="first-run-stack">
        <form className="card first-run" noValidate aria-labelledby={`${id}-title`} onSubmit={(e) => void onSubmit(e)}>
          <h1 id={`${id}-title`}>{t('firstRun.title')}</h1>
          <p className="muted">{t('firstRun.intro')}</p>

          <div className="field">
            <label htmlFor={`${id}-server`}>{t('firstRun.serverUrl')}</label>
            <input
              id={`${id}-server`}
              name="serverUrl"
              type="text"
              inputMode="url"
              autoComplete="url"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={serverUrl}
              onChange={(e) => setServerUrl(e.target.value)}
              aria-describedby={`${id}-server-hint`}
            />
            <p id={`${id}-server-hint`} className="hint">
              {t('firstRun.serverUrlHint')}
            </p>
          </div>

          <div className="field">
            <label htmlFor={`${id}-username`}>{t('firstRun.username')}</label>
            <input
              id={`${id}-username`}
              name="username"
              type="text"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              aria-describedby={`${id}-username-hint`}
            />
            <p id={`${id}-username-hint`} className="hint">
              {t('firstRun.usernameHint')}
            </p>
          </div>

          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}

          <button type="submit" className="primary" disabled={pending}>
            {t('firstRun.submit')}
          </button>
          {pending && (
            <p role="status" className="muted">
              {t('firstRun.pending')}
            </p>
          )}
        </form>
        <button type="button" className="link-button" onClick={onLink}>
          {t('firstRun.linkInstead')}
        </button>
      </div>
    </main>
  );
}
