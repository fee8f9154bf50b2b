import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { useStore } from '../store.js';
import { setVaultPassphrase } from '../vault-actions.js';
import { FormError } from './FormError.js';
import { NewPassphraseFields, newPassphraseProblem, type NewPassphrase } from './NewPassphraseFields.js';

/**
 * The way back to the history should the keyring (or the key file) that keeps its key be lost: a
 * recovery passphrase. Where a passphrase is what protects the key, this changes it.
 */
export function RecoveryPassphrase({ headingId }: { headingId?: string }) {
  const { t } = useTranslation();
  const vault = useStore((s) => s.vault);
  const [value, setValue] = useState<NewPassphrase>({ passphrase: '', repeat: '' });
  const [saved, setSaved] = useState(false);
  const { pending, error, setError, run } = useAsyncAction();
  const id = useId();
  const titleId = headingId ?? `${id}-title`;
  if (vault?.state !== 'ready') return null;
  const primary = vault.passphrase === 'primary';

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const problem = newPassphraseProblem(value);
    if (problem) {
      setError(t(problem));
      return;
    }
    void run(async () => {
      await setVaultPassphrase(value.passphrase);
      setValue({ passphrase: '', repeat: '' });
      setSaved(true);
    });
  }

  const intro = primary
    ? t('vault.primaryIntro')
    : vault.keyring
      ? t('vault.recoveryIntroKeyring', { backend: vault.keyring })
      : t('vault.recoveryIntroKeyFile');
  const submit = primary ? t('vault.changePrimary') : vault.passphrase === 'recovery' ? t('vault.replaceRecovery') : t('vault.setRecovery');

  return (
    <section className="recovery-passphrase" aria-labelledby={titleId}>
      <h2 id={titleId}>{primary ? t('vault.primaryTitle') : t('vault.recoveryTitle')}</h2>
      <p className="muted">{intro}</p>
      {!primary && <p>{vault.passphrase === 'recovery' ? t('vault.recoveryIsSet') : t('vault.recoveryNotSet')}</p>}
      <form className="first-run-form" noValidate onSubmit={onSubmit}>
        <NewPassphraseFields value={value} onChange={setValue} />
        <FormError error={error} />
        <button type="submit" className="primary" disabled={pending}>
          {submit}
        </button>
      </form>
      <p role="status" className={saved ? 'success' : 'muted'}>
        {pending ? t('vault.saving') : saved ? (primary ? t('vault.primarySaved') : t('vault.recoverySaved')) : ''}
      </p>
    </section>
  );
}
