import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api.js';
import { formatMessageTime } from '../format.js';
import { formatLinkCode } from '../lib/link-code.js';
import { requestLinkCode } from '../link-actions.js';
import { useStore, type PendingLink } from '../store.js';
import { QrCode } from './QrCode.js';

/** First run, "Link to an existing account": get a code, show it until another device approves. */
export function LinkAccount({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const defaultServerUrl = useStore((s) => s.defaultServerUrl);
  const pendingLink = useStore((s) => s.pendingLink);
  const [serverUrl, setServerUrl] = useState(defaultServerUrl);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await requestLinkCode(serverUrl);
      // Core emits 'profile' once approved; the store then switches to the main screen.
    } catch (err) {
      setError(errorMessage(err, t('errors.unknown')));
    } finally {
      setPending(false);
    }
  }

  return (
    <main className="centered">
      <div className="card first-run">
        <h1 id={`${id}-title`}>{t('firstRun.linkTitle')}</h1>
        <p className="muted">{t('firstRun.linkIntro')}</p>
        <form className="first-run-form" noValidate aria-labelledby={`${id}-title`} onSubmit={(e) => void onSubmit(e)}>
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
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <button type="submit" className={pendingLink ? undefined : 'primary'} disabled={pending}>
            {t('firstRun.getCode')}
          </button>
          {pending && (
            <p role="status" className="muted">
              {t('firstRun.gettingCode')}
            </p>
          )}
        </form>
        {pendingLink && <LinkCode link={pendingLink} />}
        <button type="button" className="link-button" onClick={onCancel}>
          {t('firstRun.createInstead')}
        </button>
      </div>
    </main>
  );
}

function useExpired(expiresAt: number): boolean {
  const [expired, setExpired] = useState(() => Date.now() >= expiresAt);
  useEffect(() => {
    const wait = expiresAt - Date.now();
    setExpired(wait <= 0);
    if (wait <= 0) return;
    // setTimeout's limit is ~24.8 days; a link code lives minutes.
    const timer = setTimeout(() => setExpired(true), Math.min(wait, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [expiresAt]);
  return expired;
}

function LinkCode({ link }: { link: PendingLink }) {
  const { t, i18n } = useTranslation();
  const expired = useExpired(link.expiresAt);
  const raw = link.code.replace(/[\s-]/g, '');
  if (expired) {
    return (
      <p role="alert" className="error">
        {t('firstRun.expired')}
      </p>
    );
  }
  return (
    <div className="link-code-box">
      <p className="link-code" role="group" aria-label={t('firstRun.code')}>
        {formatLinkCode(link.code)}
      </p>
      <QrCode value={raw} alt={t('firstRun.qrAlt')} />
      <p>{t('firstRun.codeInstructions')}</p>
      <p role="status" className="muted">
        {t('firstRun.waiting', { time: formatMessageTime(link.expiresAt, i18n.language) })}
      </p>
    </div>
  );
}
