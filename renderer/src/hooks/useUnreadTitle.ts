import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { unreadTitle } from '../lib/unread-title.js';
import { useStore } from '../store.js';

/** The window's title counts unread chats and pushes (the tray and dock badge are Electron's main's). */
export function useUnreadTitle(): void {
  const { t } = useTranslation();
  const total = useStore((s) => (s.phase === 'main' ? s.unread.chat + s.unread.push : 0));
  const name = t('app.name');
  useEffect(() => {
    document.title = unreadTitle(name, total);
  }, [name, total]);
}
