import type { ReactNode, Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { Bell, MessageCircle } from 'lucide-react';
import { useStore } from '../../store.js';
import { AccountMenu, type AccountDialog } from './AccountMenu.js';
import { shortcutLabel } from '../../lib/shortcuts.js';

export type View = 'chats' | 'notifications';

interface RailProps {
  view: View;
  onView: (view: View) => void;
  onDialog: (dialog: AccountDialog) => void;
  chatsRef: Ref<HTMLButtonElement>;
}

/**
 * The narrow column at the window's left (a bar at its foot in a narrow window): the two views,
 * icons named on hover and focus, and the account at the end.
 */
export function Rail({ view, onView, onDialog, chatsRef }: RailProps) {
  const { t } = useTranslation();
  const unread = useStore((s) => s.unread.push);
  const unreadChats = useStore((s) => s.unread.chat);
  return (
    <nav className="rail" aria-label={t('shell.rail')}>
      <RailButton
        ref={chatsRef}
        label={t('shell.chats')}
        name={unreadChats > 0 ? t('shell.chatsUnread', { count: unreadChats }) : t('shell.chats')}
        keys={shortcutLabel('1')}
        current={view === 'chats'}
        badge={unreadChats}
        onClick={() => onView('chats')}
      >
        <MessageCircle size={22} aria-hidden="true" />
      </RailButton>
      <RailButton
        label={t('push.open')}
        // Its name counts the unread pushes ("Notifications, 3 unread"); the badge shows the number.
        name={unread > 0 ? t('push.openUnread', { count: unread }) : t('push.open')}
        keys={shortcutLabel('2')}
        current={view === 'notifications'}
        badge={unread}
        onClick={() => onView('notifications')}
      >
        <Bell size={22} aria-hidden="true" />
      </RailButton>
      <div className="rail-end">
        <AccountMenu onOpen={onDialog} />
      </div>
    </nav>
  );
}

interface RailButtonProps {
  ref?: Ref<HTMLButtonElement>;
  /** Shown in the tooltip. */
  label: string;
  /** The accessible name, when it says more than the label. */
  name?: string;
  keys: string;
  current: boolean;
  badge: number;
  onClick: () => void;
  children: ReactNode;
}

function RailButton({ ref, label, name, keys, current, badge, onClick, children }: RailButtonProps) {
  return (
    <button ref={ref} type="button" className="rail-button" aria-label={name ?? label} aria-current={current ? 'page' : undefined} onClick={onClick}>
      {children}
      {badge > 0 && (
        <span className="rail-badge" aria-hidden="true">
          {badge > 99 ? '99+' : badge}
        </span>
      )}
      <span className="rail-tooltip" aria-hidden="true">
        {label} <kbd>{keys}</kbd>
      </span>
    </button>
  );
}
