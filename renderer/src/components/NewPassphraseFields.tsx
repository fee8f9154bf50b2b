import { useId } from 'react';
import { useTranslation } from 'react-i18next';

export interface NewPassphrase {
  passphrase: string;
  repeat: string;
}

export const MIN_PASSPHRASE = 8;

/** The message for a passphrase that will not do, before asking core (which checks again). */
export function newPassphraseProblem(value: NewPassphrase): 'vault.tooShort' | 'vault.mismatch' | null {
  if (value.passphrase.length < MIN_PASSPHRASE) return 'vault.tooShort';
  if (value.passphrase !== value.repeat) return 'vault.mismatch';
  return null;
}

/** A new passphrase, typed twice: one typo would otherwise lock the history for good. */
export function NewPassphraseFields({ value, onChange }: { value: NewPassphrase; onChange: (value: NewPassphrase) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-new`}>{t('vault.newPassphrase')}</label>
        <input
          id={`${id}-new`}
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSPHRASE}
          aria-describedby={`${id}-hint`}
          value={value.passphrase}
          onChange={(e) => onChange({ ...value, passphrase: e.target.value })}
        />
        <p id={`${id}-hint`} className="hint">
          {t('vault.passphraseHint')}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-repeat`}>{t('vault.repeatPassphrase')}</label>
        <input
          id={`${id}-repeat`}
          type="password"
          autoComplete="new-password"
          required
          value={value.repeat}
          onChange={(e) => onChange({ ...value, repeat: e.target.value })}
        />
      </div>
    </>
  );
}
