import { useEffect, useId, useRef, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { loadConversations } from '../actions.js';
import { loadSettings, useDesktop } from '../desktop-actions.js';
import { useIdlePresence } from '../hooks/useIdlePresence.js';
import { useSearchShortcuts } from '../hooks/useSearchShortcuts.js';
import { useViewingReport } from '../hooks/useViewingReport.js';
import { loadPresenceQuietly } from '../presence-actions.js';
import { loadPushCenterQuietly } from '../push-actions.js';
import { useSearch } from '../search-store.js';
import { useStore } from '../store.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { MissedNotice } from './MissedNotice.js';
import { ConversationList } from './ConversationList.js';
import { ConversationView } from './ConversationView.js';
import { DevicesPanel } from './DevicesPanel.js';
import { HidePresenceToggle } from './HidePresenceToggle.js';
import { LinkDevicePanel } from './LinkDevicePanel.js';
import { NotificationCenter } from './NotificationCenter.js';
import { SearchBox } from './SearchBox.js';
import { SidebarHeader } from './list/SidebarHeader.js';
import { SearchResults } from './SearchResults.js';
import { SettingsPanel } from './SettingsPanel.js';
import { Toasts } from './Toasts.js';

/** The account's panels that open under the header, one at a time. */
type HeaderPanel = 'link' | 'devices' | 'settings';

export function MainScreen() {
  const { t } = useTranslation();
  const username = useStore((s) => s.profile?.username ?? '');
  const selectedId = useStore((s) => s.selectedId);
  const [panel, setPanel] = useState<HeaderPanel | null>(null);
  const buttons = {
    link: useRef<HTMLButtonElement>(null),
    devices: useRef<HTMLButtonElement>(null),
    settings: useRef<HTMLButtonElement>(null),
  };
  const capabilities = useDesktop((s) => s.capabilities);
  const notificationsButton = useRef<HTMLButtonElement>(null);
  // The notification center lives in the store: an OS notification's click opens it from outside.
  const centerOpen = useStore((s) => s.pushCenter !== null);
  const centerRequest = useStore((s) => s.pushCenter?.request ?? 0);
  const searching = useSearch((s) => s.query.trim() !== '');
  const id = useId();
  useSearchShortcuts(selectedId);

  useEffect(() => {
    loadConversations().catch((error: unknown) => console.warn('loading conversations failed', error));
    loadPresenceQuietly();
    loadPushCenterQuietly();
    loadSettings().catch((error: unknown) => console.warn('loading settings failed', error));
  }, []);
  // Until the host says what it can do, the window's own idle tracking runs.
  useIdlePresence(!capabilities?.systemIdle);
  useViewingReport();

  // One panel under the header at a time: the center, however it was opened, takes the place.
  useEffect(() => {
    if (centerRequest > 0) setPanel(null);
  }, [centerRequest]);

  function closePanel() {
    if (panel) buttons[panel].current?.focus();
    setPanel(null);
  }

  function closeCenter() {
    useStore.getState().closePushCenter();
    notificationsButton.current?.focus();
  }

  function openPanel(which: HeaderPanel) {
    useStore.getState().closePushCenter();
    setPanel(which);
  }

  function panelToggle(which: HeaderPanel, label: string) {
    const open = panel === which;
    return (
      <button
        ref={buttons[which]}
        type="button"
        className="small"
        aria-expanded={open}
        aria-controls={open ? `${id}-${which}` : undefined}
        onClick={() => (open ? closePanel() : openPanel(which))}
      >
        {label}
      </button>
    );
  }

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-name">{t('app.name')}</h1>
        <div className="app-header-tools">
          <p className="signed-in">{t('app.signedInAs', { username })}</p>
          <HidePresenceToggle />
          <NotificationsButton
            ref={notificationsButton}
            open={centerOpen}
            controls={`${id}-push`}
            onClick={() => (centerOpen ? closeCenter() : useStore.getState().openPushCenter())}
          />
          {panelToggle('devices', t('devices.open'))}
          {panelToggle('link', t('linkDevice.open'))}
          {panelToggle('settings', t('settings.open'))}
        </div>
      </header>
      {panel === 'link' && <LinkDevicePanel id={`${id}-link`} onClose={closePanel} />}
      {panel === 'devices' && <DevicesPanel id={`${id}-devices`} onClose={closePanel} />}
      {panel === 'settings' && <SettingsPanel id={`${id}-settings`} onClose={closePanel} />}
      {centerOpen && <NotificationCenter id={`${id}-push`} onClose={closeCenter} />}
      <ConnectionBanner />
      <MissedNotice />
      {/* In a narrow window only one of the two shows: the conversation while one is open (styles.css). */}
      <div className="panes" data-open={selectedId ? 'conversation' : 'list'}>
        <aside className="sidebar">
          <SidebarHeader />
          <SearchBox />
          {searching ? <SearchResults /> : <ConversationList />}
        </aside>
        <main className="conversation-pane">
          {selectedId ? (
            <ConversationView key={selectedId} conversationId={selectedId} />
          ) : (
            <p className="empty-state">{t('conversation.none')}</p>
          )}
        </main>
      </div>
      <Toasts />
    </div>
  );
}

interface NotificationsButtonProps {
  ref: Ref<HTMLButtonElement>;
  open: boolean;
  /** The center's id, while it is open. */
  controls: string;
  onClick: () => void;
}

/** Its name counts the unread pushes ("Notifications, 3 unread"); the badge shows the number. */
function NotificationsButton({ ref, open, controls, onClick }: NotificationsButtonProps) {
  const { t } = useTranslation();
  const unread = useStore((s) => s.unread.push);
  return (
    <button
      ref={ref}
      type="button"
      className="small notifications-button"
      aria-label={unread > 0 ? t('push.openUnread', { count: unread }) : undefined}
      aria-expanded={open}
      aria-controls={open ? controls : undefined}
      onClick={onClick}
    >
      {t('push.open')}
      {unread > 0 && (
        <span className="unread-badge" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </button>
  );
}
