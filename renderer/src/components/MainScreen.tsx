import { type CSSProperties, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadConversations } from '../actions.js';
import { loadSettings, useDesktop } from '../desktop-actions.js';
import { useIdlePresence } from '../hooks/useIdlePresence.js';
import { useSearchShortcuts } from '../hooks/useSearchShortcuts.js';
import { useShellShortcuts } from '../hooks/useShellShortcuts.js';
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
import { LinkDevicePanel } from './LinkDevicePanel.js';
import { NotificationCenter } from './NotificationCenter.js';
import { SearchBox } from './SearchBox.js';
import { SidebarHeader } from './list/SidebarHeader.js';
import { SearchResults } from './SearchResults.js';
import { SettingsPanel } from './SettingsPanel.js';
import { Toasts } from './Toasts.js';
import type { AccountDialog } from './shell/AccountMenu.js';
import { Modal } from './shell/Modal.js';
import { ListResizer, useListWidth } from './shell/ListResizer.js';
import { Rail, type View } from './shell/Rail.js';
import { ShortcutsSheet } from './shell/ShortcutsSheet.js';

export function MainScreen() {
  const { t } = useTranslation();
  const selectedId = useStore((s) => s.selectedId);
  // The notification center lives in the store: an OS notification's click opens it from outside.
  const view: View = useStore((s) => (s.pushCenter === null ? 'chats' : 'notifications'));
  const [dialog, setDialog] = useState<AccountDialog | null>(null);
  const capabilities = useDesktop((s) => s.capabilities);
  const searching = useSearch((s) => s.query.trim() !== '');
  const chatsButton = useRef<HTMLButtonElement>(null);
  const panes = useRef<HTMLDivElement>(null);
  const [listWidth, setListWidth] = useListWidth();
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

  // Back from the notifications by a shortcut: focus was in the view just gone, so it lands on the rail.
  useEffect(() => {
    if (view === 'chats' && (document.activeElement === null || document.activeElement === document.body)) chatsButton.current?.focus();
  }, [view]);

  function showView(next: View) {
    const store = useStore.getState();
    if (next === 'chats') store.closePushCenter();
    else if (store.pushCenter === null) store.openPushCenter();
  }

  useShellShortcuts((action) => {
    if (action === 'chats' || action === 'notifications') showView(action);
    else setDialog(action === 'sheet' ? 'shortcuts' : 'settings');
  });

  const closeDialog = () => setDialog(null);

  return (
    <div className="app shell" data-view={view} data-open={selectedId ? 'conversation' : 'list'}>
      {/* In a landmark of its own, as all of a page's content is for those who move by landmarks. */}
      <header className="visually-hidden">
        <h1>{t('app.name')}</h1>
      </header>
      <Rail view={view} onView={showView} onDialog={setDialog} chatsRef={chatsButton} />
      <div className="shell-main">
        <ConnectionBanner />
        <MissedNotice />
        {/* Kept while the notifications show: the open conversation, its scroll and draft, are there on return. */}
        {/* In a narrow window only one of the two shows: the conversation while one is open (screens.css). */}
        <div
          ref={panes}
          className="panes"
          hidden={view !== 'chats'}
          data-open={selectedId ? 'conversation' : 'list'}
          style={listWidth === null ? undefined : ({ '--list-width': `${listWidth}px` } as CSSProperties)}
        >
          <aside className="sidebar">
            <SidebarHeader />
            <SearchBox />
            {searching ? <SearchResults /> : <ConversationList />}
          </aside>
          <main className="conversation-pane">
            {/* In a landmark, as all content is; placed against the panes, on the list's edge (list.css). */}
            <ListResizer panes={panes} width={listWidth} onWidth={setListWidth} />
            {selectedId ? (
              <ConversationView key={selectedId} conversationId={selectedId} />
            ) : (
              <p className="empty-state">{t('conversation.none')}</p>
            )}
          </main>
        </div>
        {view === 'notifications' && (
          <main className="push-view">
            <NotificationCenter id={`${id}-push`} />
          </main>
        )}
      </div>
      <Toasts />
      {dialog === 'settings' && (
        <Modal title={t('settings.title')} className="modal-wide" onClose={closeDialog}>
          {() => <SettingsPanel id={`${id}-settings`} />}
        </Modal>
      )}
      {dialog === 'devices' && <Modal title={t('devices.title')} onClose={closeDialog}>{(titleId) => <DevicesPanel titleId={titleId} />}</Modal>}
      {dialog === 'link' && <Modal title={t('linkDevice.title')} onClose={closeDialog}>{() => <LinkDevicePanel />}</Modal>}
      {dialog === 'shortcuts' && <Modal title={t('shell.shortcuts.title')} onClose={closeDialog}>{() => <ShortcutsSheet />}</Modal>}
    </div>
  );
}
