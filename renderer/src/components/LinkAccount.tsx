import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMessageTime } from '../format.js';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { formatLinkCode, normalizeLinkCode } from '../lib/link-code.js';
import { requestLinkCode } from '../link-actions.js';
import { useStore, type PendingLink } from '../store.js';
import { FormError } from './FormError.js';
import { QrCode } from './QrCode.js';
import { ServerUrlField } from './ServerUrlField.js';
import '../first-run.css';

/** First run, "Link to an existing account": get a code, show it until another device approves. */
export function LinkAccount({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const defaultServerUrl = useStore((s) => s.defaultServerUrl);
  const pendingLink = useStore((s) => s.pendingLink);
  const [serverUrl, setServerUrl] = useState(defaultServerUrl);
  const { pending, error, run } = useAsyncAction();
  const id = useId();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Core emits 'profile' once approved; the store then switches to the main screen.
    void run(() => requestLinkCode(serverUrl));
  }

  return (
    <main className="centered">
      <div className="card first-run">
        <h1 id={`${id}-title`}>{t('firstRun.linkTitle')}</h1>
        <p className="muted">{t('firstRun.linkIntro')}</p>
        <form className="first-run-form" noValidate aria-labelledby={`${id}-title`} onSubmit={onSubmit}>
          <details className="first-run-advanced" open={serverUrl.trim() === '' || undefined}>
            <summary>{t('firstRun.advanced')}</summary>
            <ServerUrlField id={`${id}-server`} value={serverUrl} onChange={setServerUrl} />
          </details>
          <FormError error={error} />
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
  // Scanned, the QR gives what the approving device's field accepts as it is: the bare digits.
  const digits = normalizeLinkCode(link.code) ?? link.code;
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
      <QrCode value={digits} alt={t('firstRun.qrAlt')} />
      <p>{t('firstRun.codeInstructions')}</p>
      <p role="status" className="muted">
        {t('firstRun.waiting', { time: formatMessageTime(link.expiresAt, i18n.language) })}
      </p>
    </div>
  );
}
