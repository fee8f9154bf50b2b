import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { VaultStatus } from '../../../shared/ipc.js';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { passwordStoreFlag } from '../lib/password-store.js';
import { useStore } from '../store.js';
import { resetVault, unlockVault } from '../vault-actions.js';
import { FormError } from './FormError.js';

type Locked = Extract<VaultStatus, { state: 'locked' }>;

/**
 * Shown instead of the app while the history's key cannot be had: what happened, in plain words,
 * and every way back that exists for this history (its passphrase, the keyring from before, a reset).
 */
export function UnlockScreen() {
  const { t } = useTranslation();
  const vault = useStore((s) => s.vault);
  const id = useId();
  if (vault?.state !== 'locked') return null;

  return (
    <main className="centered">
      <div className="card unlock" role="region" aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`}>{t('vault.lockedTitle')}</h1>
        {vault.account && <p className="muted">{t('vault.account', { username: vault.account.username, server: vault.account.serverUrl })}</p>}
        <p>
          <WhatHappened vault={vault} />
        </p>
        {vault.hasPassphrase ? <UnlockForm /> : vault.recordedBackend && <p>{t('vault.noPassphrase')}</p>}
        {vault.recordedBackend && <PreviousKeyring backend={vault.recordedBackend} />}
        <Reset />
      </div>
    </main>
  );
}

function WhatHappened({ vault }: { vault: Locked }) {
  const { t } = useTranslation();
  const recorded = vault.recordedBackend ?? '—';
  switch (vault.reason) {
    case 'keyring-changed':
      return t('vault.keyringChanged', { recorded, current: vault.currentBackend ?? '—' });
    case 'keyring-unavailable':
      return vault.currentBackend
        ? t('vault.keyringUnavailableNow', { recorded, current: vault.currentBackend })
        : t('vault.keyringUnavailable', { recorded });
    case 'passphrase-required':
      return t('vault.passphraseRequired');
    case 'key-file-missing':
      return t('vault.keyFileMissing');
    case 'key-missing':
      return t('vault.keyMissing');
  }
}

function UnlockForm() {
  const { t } = useTranslation();
  const [passphrase, setPassphrase] = useState('');
  const { pending, error, run } = useAsyncAction();
  const id = useId();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // On success the store moves on to the app; this screen unmounts.
    void run(() => unlockVault(passphrase));
  }

  return (
    <form className="unlock-section" noValidate aria-labelledby={`${id}-title`} onSubmit={onSubmit}>
      <h2 id={`${id}-title`}>{t('vault.unlockTitle')}</h2>
      <div className="field">
        <label htmlFor={`${id}-passphrase`}>{t('vault.passphrase')}</label>
        <input
          id={`${id}-passphrase`}
          type="password"
          autoComplete="current-password"
          required
          autoFocus
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
        />
      </div>
      <FormError error={error} />
      <button type="submit" className="primary" disabled={pending || passphrase === ''}>
        {t('vault.unlock')}
      </button>
      {pending && (
        <p role="status" className="muted">
          {t('vault.unlocking')}
        </p>
      )}
    </form>
  );
}

function PreviousKeyring({ backend }: { backend: string }) {
  const { t } = useTranslation();
  const flag = passwordStoreFlag(backend);
  const id = useId();
  return (
    <section className="unlock-section" aria-labelledby={id}>
      <h2 id={id}>{t('vault.previousKeyringTitle')}</h2>
      <p>{flag ? t('vault.previousKeyringLinux', { recorded: backend, flag }) : t('vault.previousKeyring', { recorded: backend })}</p>
    </section>
  );
}

function Reset() {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const { pending, error, run } = useAsyncAction();
  const id = useId();
  return (
    <section className="unlock-section" aria-labelledby={id}>
      <h2 id={id}>{t('vault.resetTitle')}</h2>
      <p className="muted">{t('vault.resetIntro')}</p>
      {confirming ? (
        <div role="group" aria-label={t('vault.resetTitle')} className="confirm">
          <p>{t('vault.resetConfirm')}</p>
          <div className="inline-row">
            <button type="button" className="danger" disabled={pending} onClick={() => void run(resetVault)}>
              {t('vault.resetYes')}
            </button>
            <button type="button" disabled={pending} onClick={() => setConfirming(false)}>
              {t('vault.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          {t('vault.reset')}
        </button>
      )}
      <FormError error={error} />
    </section>
  );
}
