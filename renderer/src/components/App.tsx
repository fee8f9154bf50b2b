import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { start, subscribe } from '../actions.js';
import { useAppearance } from '../hooks/useAppearance.js';
import { useUnreadTitle } from '../hooks/useUnreadTitle.js';
import { useStore } from '../store.js';
import { ChoosePassphrase } from './ChoosePassphrase.js';
import { FirstRun } from './FirstRun.js';
import { MainScreen } from './MainScreen.js';
import { UnlockScreen } from './UnlockScreen.js';

export function App() {
  const phase = useStore((s) => s.phase);
  useUnreadTitle();
  useAppearance();

  useEffect(() => {
    const unsubscribe = subscribe();
    void start();
    return unsubscribe;
  }, []);

  switch (phase) {
    case 'loading':
      return <Loading />;
    case 'load-error':
      return <LoadError />;
    case 'locked':
      return <UnlockScreen />;
    case 'choose-passphrase':
      return <ChoosePassphrase />;
    case 'first-run':
      return <FirstRun />;
    case 'main':
      return <MainScreen />;
  }
}

function Loading() {
  const { t } = useTranslation();
  return (
    <main className="centered">
      <p role="status">{t('load.loading')}</p>
    </main>
  );
}

function LoadError() {
  const { t } = useTranslation();
  const message = useStore((s) => s.loadError);
  return (
    <main className="centered">
      <div className="card">
        <h1>{t('load.failedTitle')}</h1>
        <p role="alert">{message}</p>
        <button type="button" className="primary" onClick={() => void start()}>
          {t('load.retry')}
        </button>
      </div>
    </main>
  );
}
