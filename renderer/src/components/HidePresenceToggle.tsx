import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setPresenceHidden } from '../presence-actions.js';
import { useStore } from '../store.js';

export function HidePresenceToggle() {
  const { t } = useTranslation();
  const hidden = useStore((s) => s.presenceHidden);
  const [busy, setBusy] = useState(false);
  const id = useId();

  return (
    <span className="hide-presence">
      <input
        id={id}
        type="checkbox"
        checked={hidden}
        disabled={busy}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          setBusy(true);
          setPresenceHidden(e.target.checked)
            .catch((error: unknown) => console.warn('presence:set failed', error))
            .finally(() => setBusy(false));
        }}
      />
      <label htmlFor={id}>{t('presence.hide')}</label>
      <span id={`${id}-hint`} className="visually-hidden">
        {t('presence.hideHint')}
      </span>
    </span>
  );
}
