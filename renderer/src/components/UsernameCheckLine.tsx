import { useTranslation } from 'react-i18next';
import { Check, CircleAlert, LoaderCircle } from 'lucide-react';
import type { UsernameCheck } from '../hooks/useUsernameCheck.js';

/**
 * Under the first-run username: whether the name is well formed, and free on the relay. Polite
 * status: read out when it settles, not on every keystroke.
 */
export function UsernameCheckLine({ id, check }: { id: string; check: UsernameCheck }) {
  const { t } = useTranslation();
  return (
    <p id={id} className="username-check" data-state={check.state} role="status">
      {check.state === 'invalid' && (
        <>
          <CircleAlert aria-hidden="true" /> {t('firstRun.usernameInvalid')}
        </>
      )}
      {check.state === 'checking' && (
        <>
          <LoaderCircle aria-hidden="true" /> {t('firstRun.usernameChecking')}
        </>
      )}
      {check.state === 'available' && (
        <>
          <Check aria-hidden="true" /> {t('firstRun.usernameFree', { username: check.username })}
        </>
      )}
      {check.state === 'taken' && (
        <>
          <CircleAlert aria-hidden="true" /> {t('firstRun.usernameTaken', { username: check.username })}
        </>
      )}
    </p>
  );
}
