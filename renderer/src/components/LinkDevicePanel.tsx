import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { formatFingerprint, formatLinkCode, normalizeLinkCode } from '../lib/link-code.js';
import { approveDevice, lookupDevice, type WaitingDevice } from '../link-actions.js';
import { FormError } from './FormError.js';

/**
 * A non-modal panel under the header: enter the code a new device shows, find that device, then
 * approve it once the person saw the same fingerprint on both screens. The code alone only says
 * which device the relay has behind it; the fingerprint is what a relay cannot fake.
 */
export function LinkDevicePanel({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [found, setFound] = useState<WaitingDevice | null>(null);
  const { pending, error, setError, run } = useAsyncAction();
  const [done, setDone] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const question = useRef<HTMLDivElement>(null);
  const fieldId = useId();

  // Each step replaces the other's controls: focus follows, so the keyboard is never left on nothing.
  useEffect(() => {
    if (found) question.current?.focus();
    else input.current?.focus();
  }, [found]);

  function onFind(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const normalized = normalizeLinkCode(code);
    setDone(false);
    if (!normalized) {
      setError(t('linkDevice.invalidCode'));
      return;
    }
    void run(async () => {
      setFound(await lookupDevice(normalized));
    });
  }

  function onApprove(device: WaitingDevice) {
    void run(async () => {
      await approveDevice(device);
      setCode('');
      setFound(null);
      setDone(true);
    });
  }

  function onCancel() {
    setFound(null);
    setError(null);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    }
  }

  const status = pending
    ? found
      ? t('linkDevice.approving')
      : t('linkDevice.finding')
    : done
      ? t('linkDevice.done')
      : '';

  return (
    <div id={id} role="dialog" aria-labelledby={`${id}-title`} className="link-panel" onKeyDown={onKeyDown}>
      <h2 id={`${id}-title`}>{t('linkDevice.title')}</h2>
      {found ? (
        <div
          ref={question}
          tabIndex={-1}
          role="group"
          aria-labelledby={`${id}-question`}
          aria-describedby={`${id}-fingerprint ${id}-compare`}
          className="link-confirm"
        >
          <p id={`${id}-question`} className="link-confirm-question">
            {t('linkDevice.question')}
          </p>
          <p id={`${id}-fingerprint`} className="link-fingerprint" data-fingerprint="">
            {formatFingerprint(found.fingerprint)}
          </p>
          <p id={`${id}-compare`} className="hint">
            {t('linkDevice.compareHint', { code: formatLinkCode(found.code) })}
          </p>
          <div className="inline-row">
            <button type="button" className="primary" disabled={pending} onClick={() => onApprove(found)}>
              {t('linkDevice.approve')}
            </button>
            <button type="button" disabled={pending} onClick={onCancel}>
              {t('linkDevice.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <>
          <p className="muted">{t('linkDevice.intro')}</p>
          <form className="link-form" noValidate onSubmit={onFind}>
            <label htmlFor={fieldId}>{t('linkDevice.code')}</label>
            <div className="inline-row">
              <input
                id={fieldId}
                ref={input}
                name="code"
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={16}
                placeholder="1234 5678"
                aria-describedby={`${fieldId}-hint`}
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
              <button type="submit" className="primary" disabled={pending}>
                {t('linkDevice.find')}
              </button>
            </div>
            <p id={`${fieldId}-hint`} className="hint">
              {t('linkDevice.codeHint')}
            </p>
          </form>
        </>
      )}
      <FormError error={error} />
      <p role="status" className={done ? 'success' : undefined}>
        {status}
      </p>
      <button type="button" onClick={onClose}>
        {t('linkDevice.close')}
      </button>
    </div>
  );
}
