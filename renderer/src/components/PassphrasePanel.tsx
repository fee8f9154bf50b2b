import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { RecoveryPassphrase } from './RecoveryPassphrase.js';

/** A non-modal panel under the header holding the recovery passphrase section. */
export function PassphrasePanel({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    panel.current?.querySelector('input')?.focus();
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    }
  }

  return (
    <div id={id} ref={panel} role="dialog" aria-labelledby={`${id}-title`} className="link-panel" onKeyDown={onKeyDown}>
      <RecoveryPassphrase headingId={`${id}-title`} />
      <button type="button" onClick={onClose}>
        {t('vault.close')}
      </button>
    </div>
  );
}
