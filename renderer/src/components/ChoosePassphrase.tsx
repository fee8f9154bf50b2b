import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { useStore } from '../store.js';
import { setVaultPassphrase } from '../vault-actions.js';
import { FormError } from './FormError.js';
import { NewPassphraseFields, newPassphraseProblem, type NewPassphrase } from './NewPassphraseFields.js';

/** No OS keyring protects secrets here (Linux basic_text): the person chooses the passphrase that protects the history. */
export function ChoosePassphrase() {
  const { t } = useTranslation();
  const vault = useStore((s) => s.vault);
  const [value, setValue] = useState<NewPassphrase>({ passphrase: '', repeat: '' });
  const { pending, error, setError, run } = useAsyncAction();
  const id = useId();
  if (vault?.state !== 'choose-passphrase') return null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = newPassphraseProblem(value);
    if (problem) {
      setError(t(problem));
      return;
    }
    // On success the store moves on to the first-run or main screen; this one unmounts.
    void run(() => setVaultPassphrase(value.passphrase));
  }

  return (
    <main className="centered">
      <form className="card first-run" noValidate aria-labelledby={`${id}-title`} onSubmit={onSubmit}>
        <h1 id={`${id}-title`}>{t('vault.chooseTitle')}</h1>
        <p>{t('vault.chooseIntro', { backend: vault.currentBackend ?? '—' })}</p>
        {vault.existingProfile && <p>{t('vault.chooseExisting')}</p>}
        <p className="muted">{t('vault.chooseWarning')}</p>
        <NewPassphraseFields value={value} onChange={setValue} />
        <FormError error={error} />
        <button type="submit" className="primary" disabled={pending}>
          {t('vault.choose')}
        </button>
        {pending && (
          <p role="status" className="muted">
            {t('vault.saving')}
          </p>
        )}
      </form>
    </main>
  );
}
