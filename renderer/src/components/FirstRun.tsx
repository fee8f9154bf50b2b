import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { register } from '../actions.js';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { useStore } from '../store.js';
import { FormError } from './FormError.js';
import { LinkAccount } from './LinkAccount.js';
import { ServerUrlField } from './ServerUrlField.js';
import { useUsernameCheck } from '../hooks/useUsernameCheck.js';
import { UsernameCheckLine } from './UsernameCheckLine.js';
import '../first-run.css';

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
  const { pending, error, run } = useAsyncAction();
  const setAsideTo = useStore((s) => s.setAsideTo);
  const id = useId();
  const check = useUsernameCheck(serverUrl, username);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // On success the store switches to the main screen; this component unmounts.
    void run(() => register(serverUrl, username));
  }

  return (
    <main className="centered">
      <div className="first-run-stack">
        <form className="card first-run" noValidate aria-labelledby={`${id}-title`} onSubmit={onSubmit}>
          <h1 id={`${id}-title`}>{t('firstRun.title')}</h1>
          <p className="muted">{t('firstRun.intro')}</p>
          {setAsideTo && <p role="status">{t('vault.setAside', { path: setAsideTo })}</p>}

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
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              aria-invalid={check.state === 'invalid' || check.state === 'taken'}
              aria-describedby={`${id}-username-check ${id}-username-hint`}
            />
            <UsernameCheckLine id={`${id}-username-check`} check={check} />
            <p id={`${id}-username-hint`} className="hint">
              {t('firstRun.usernameHint')}
            </p>
          </div>

          <details className="first-run-advanced" open={serverUrl.trim() === '' || undefined}>
            <summary>{t('firstRun.advanced')}</summary>
            <ServerUrlField id={`${id}-server`} value={serverUrl} onChange={setServerUrl} />
          </details>

          <FormError error={error} />

          <button type="submit" className="primary" disabled={pending || check.state === 'taken'}>
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
