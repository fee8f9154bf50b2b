import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadConversations } from '../actions.js';
import { useIdlePresence } from '../hooks/useIdlePresence.js';
import { loadPresenceQuietly } from '../presence-actions.js';
import { useStore } from '../store.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { ExpiredNotice } from './ExpiredNotice.js';
import { ConversationList } from './ConversationList.js';
import { ConversationView } from './ConversationView.js';
import { DevicesPanel } from './DevicesPanel.js';
import { HidePresenceToggle } from './HidePresenceToggle.js';
import { LinkDevicePanel } from './LinkDevicePanel.js';
import { NewChatForm } from './NewChatForm.js';
import { NewGroupForm } from './NewGroupForm.js';

/** The account's panels that open under the header, one at a time. */
type HeaderPanel = 'link' | 'devices';

export function MainScreen() {
  const { t } = useTranslation();
  const username = useStore((s) => s.profile?.username ?? '');
  const selectedId = useStore((s) => s.selectedId);
  const [panel, setPanel] = useState<HeaderPanel | null>(null);
  const buttons = { link: useRef<HTMLButtonElement>(null), devices: useRef<HTMLButtonElement>(null) };
  const id = useId();

  useEffect(() => {
    loadConversations().catch((error: unknown) => console.warn('loading conversations failed', error));
    loadPresenceQuietly();
  }, []);
  useIdlePresence();

  function closePanel() {
    if (panel) buttons[panel].current?.focus();
    setPanel(null);
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
        onClick={() => (open ? closePanel() : setPanel(which))}
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
          {panelToggle('devices', t('devices.open'))}
          {panelToggle('link', t('linkDevice.open'))}
        </div>
      </header>
      {panel === 'link' && <LinkDevicePanel id={`${id}-link`} onClose={closePanel} />}
      {panel === 'devices' && <DevicesPanel id={`${id}-devices`} onClose={closePanel} />}
      <ConnectionBanner />
      <ExpiredNotice />
      <div className="panes">
        <aside className="sidebar">
          <NewChatForm />
          <NewGroupForm />
          <ConversationList />
        </aside>
        <main className="conversation-pane">
          {selectedId ? (
            <ConversationView key={selectedId} conversationId={selectedId} />
          ) : (
            <p className="empty-state">{t('conversation.none')}</p>
          )}
        </main>
      </div>
    </div>
  );
}
