import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { normalizeLinkCode } from '../lib/link-code.js';
import { approveDevice } from '../link-actions.js';
import { FormError } from './FormError.js';

/**
 * In the Link a device dialog: enter the code a new device shows, approve it. Nothing to
 * compare by eye: core checks with the code's secret digits that the device behind it is the one
 * showing it, and says so in the error if it is not.
 */
export function LinkDevicePanel() {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const { pending, error, setError, run } = useAsyncAction();
  const [done, setDone] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const fieldId = useId();

  useEffect(() => {
    input.current?.focus();
  }, []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const normalized = normalizeLinkCode(code);
    setDone(false);
    if (!normalized) {
      setError(t('linkDevice.invalidCode'));
      return;
    }
    void run(async () => {
      await approveDevice(normalized);
      setCode('');
      setDone(true);
    });
  }

  return (
    <div className="link-panel">
      <p className="muted">{t('linkDevice.intro')}</p>
      <form className="link-form" noValidate onSubmit={onSubmit}>
        <label htmlFor={fieldId}>{t('linkDevice.code')}</label>
        <div className="inline-row">
          <input
            id={fieldId}
            ref={input}
            name="code"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={30}
            placeholder="123 456 789 012 345 678"
            aria-describedby={`${fieldId}-hint`}
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <button type="submit" className="primary" disabled={pending}>
            {t('linkDevice.approve')}
          </button>
        </div>
        <p id={`${fieldId}-hint`} className="hint">
          {t('linkDevice.codeHint')}
        </p>
      </form>
      <FormError error={error} />
      <p role="status" className={done ? 'success' : undefined}>
        {pending ? t('linkDevice.approving') : done ? t('linkDevice.done') : ''}
      </p>
    </div>
  );
}
