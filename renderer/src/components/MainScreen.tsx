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
import { HidePresenceToggle } from './HidePresenceToggle.js';
import { LinkDevicePanel } from './LinkDevicePanel.js';
import { NewChatForm } from './NewChatForm.js';
import { NewGroupForm } from './NewGroupForm.js';

export function MainScreen() {
  const { t } = useTranslation();
  const username = useStore((s) => s.profile?.username ?? '');
  const selectedId = useStore((s) => s.selectedId);
  const [linkOpen, setLinkOpen] = useState(false);
  const linkButton = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => {
    loadConversations().catch((error: unknown) => console.warn('loading conversations failed', error));
    loadPresenceQuietly();
  }, []);
  useIdlePresence();

  function closeLink() {
    setLinkOpen(false);
    linkButton.current?.focus();
  }

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-name">{t('app.name')}</h1>
        <div className="app-header-tools">
          <p className="signed-in">{t('app.signedInAs', { username })}</p>
          <HidePresenceToggle />
          <button
            ref={linkButton}
            type="button"
            className="small"
            aria-expanded={linkOpen}
            aria-controls={linkOpen ? `${id}-link` : undefined}
            onClick={() => (linkOpen ? closeLink() : setLinkOpen(true))}
          >
            {t('linkDevice.open')}
          </button>
        </div>
      </header>
      {linkOpen && <LinkDevicePanel id={`${id}-link`} onClose={closeLink} />}
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
